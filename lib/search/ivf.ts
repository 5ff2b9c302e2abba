/**
 * IVF-flat: a seeded k-means coarse quantizer splits the vectors into `nlist` inverted lists; a
 * query scans only the `nprobe` lists whose centroids are nearest (Jégou et al. 2011, faiss
 * IndexIVFFlat). Euclidean distance; normalize vectors first for cosine ranking.
 */
import { kMeans } from '../linalg/kmeans';
import { type SeedLike, toRandom } from '../random';
import { checkNumber, fail } from '../validate';
import type { SearchResult, VectorIndex } from './exact-index';
import { float32Section, headerInt, int32Section, readIndexFile, writeIndexFile } from './index-file';
import { type Matrix, type VectorsLike, takeRows, toMatrix } from '../linalg/matrix';
import { TopK } from '../linalg/topk';

export interface IvfOptions {
  /** Number of inverted lists (k-means centroids). */
  nlist: number;
  /** Lists scanned per query (default 8). */
  nprobe?: number;
  seed: SeedLike;
  /** Training sample size for k-means (default 64 * nlist, as faiss suggests 30-256 per list). */
  trainSize?: number;
}

const FORMAT = 'metriclab-ivf-index';

/**
 * @example
 * const ivf = new IvfIndex(32, { nlist: 64, nprobe: 8, seed: 1 });
 * ivf.train(vectors); ivf.add(vectors);
 * ivf.search(queries, 10).ids;
 * ivf.remove([3, 4]);             // gone from their lists, no retraining
 * ivf.save('/tmp/a.ivf'); IvfIndex.load('/tmp/a.ivf').size; // ivf.size
 */
export class IvfIndex implements VectorIndex {
  nprobe: number;
  readonly nlist: number;
  private centroids: Matrix | null = null;
  private lists: { ids: number[]; data: number[] }[] = [];
  private count = 0;
  /** Lists laid out contiguously for scanning; rebuilt lazily after add. */
  private packed: { data: Float32Array; ids: Int32Array; offsets: Int32Array } | null = null;

  constructor(
    readonly dims: number,
    private readonly options: IvfOptions,
  ) {
    const fn = 'IvfIndex';
    checkNumber(fn, 'dims', dims, { min: 1, integer: true });
    this.nlist = checkNumber(fn, 'nlist', options.nlist, { min: 1, integer: true });
    this.nprobe = checkNumber(fn, 'nprobe', options.nprobe ?? 8, { min: 1, integer: true });
  }

  get size(): number {
    return this.count;
  }

  /** Fits the coarse quantizer on a seeded sample of `vectors`. */
  train(vectors: VectorsLike): void {
    const m = toMatrix('IvfIndex.train', vectors);
    if (m.dims !== this.dims) fail('IvfIndex.train', 'vectors', `have ${this.dims} columns`, m.dims);
    if (m.rows < this.nlist) fail('IvfIndex.train', 'vectors', `have at least nlist (${this.nlist}) rows`, m.rows);
    const trainSize = checkNumber('IvfIndex.train', 'trainSize', this.options.trainSize ?? 64 * this.nlist, {
      min: 1,
      integer: true,
    });
    // Train on a seeded sample: k-means cost grows with N, the centroids barely do.
    const x =
      trainSize < m.rows ? takeRows(m, toRandom(this.options.seed).permutation(m.rows).subarray(0, trainSize)) : m;
    this.centroids = kMeans(x, { k: this.nlist, seed: this.options.seed, restarts: 1, maxIterations: 25 }).centroids;
    this.lists = Array.from({ length: this.nlist }, () => ({ ids: [], data: [] }));
    this.count = 0;
  }

  /** Adds vectors to their nearest list; ids default to 0.. in insertion order. */
  add(vectors: VectorsLike, ids?: ArrayLike<number>): void {
    const c = this.centroids;
    if (!c) fail('IvfIndex.add', 'index', 'be trained first (call train)', 'untrained');
    const m = toMatrix('IvfIndex.add', vectors);
    if (m.dims !== this.dims) fail('IvfIndex.add', 'vectors', `have ${this.dims} columns`, m.dims);
    if (ids !== undefined && ids.length !== m.rows)
      fail('IvfIndex.add', 'ids', `have one entry per vector (${m.rows})`, ids.length);
    const top = new TopK(1);
    for (let i = 0; i < m.rows; i++) {
      scan(m, i, c, top);
      const list = this.lists[top.indices[0]];
      top.reset();
      list.ids.push(ids ? ids[i] : this.count + i);
      for (let d = 0; d < this.dims; d++) list.data.push(m.data[i * this.dims + d]);
    }
    this.count += m.rows;
    this.packed = null;
  }

  /** Removes the given ids from their lists (unknown ids are ignored); returns how many were removed. */
  remove(ids: ArrayLike<number>): number {
    const drop = new Set(Array.from(ids));
    let removed = 0;
    for (const list of this.lists) {
      if (!list.ids.some((id) => drop.has(id))) continue;
      const keptIds: number[] = [];
      const keptData: number[] = [];
      list.ids.forEach((id, row) => {
        if (drop.has(id)) return;
        keptIds.push(id);
        for (let d = 0; d < this.dims; d++) keptData.push(list.data[row * this.dims + d]);
      });
      removed += list.ids.length - keptIds.length;
      list.ids = keptIds;
      list.data = keptData;
    }
    this.count -= removed;
    this.packed = null;
    return removed;
  }

  /**
   * Writes the trained index (centroids, lists, ids, vectors) to `path`; load() restores it
   * exactly. The seed is kept when it is a number (a Random seed is saved as 0).
   */
  save(path: string): void {
    const c = this.centroids;
    if (!c) fail('IvfIndex.save', 'index', 'be trained first (call train)', 'untrained');
    const { data, ids, offsets } = this.pack();
    const lengths = Int32Array.from({ length: this.nlist }, (_, i) => offsets[i + 1] - offsets[i]);
    const seed = typeof this.options.seed === 'number' ? this.options.seed : 0;
    const header = {
      format: FORMAT,
      version: 1,
      dims: this.dims,
      nlist: this.nlist,
      nprobe: this.nprobe,
      seed,
      trainSize: this.options.trainSize ?? null,
      size: this.count,
    };
    writeIndexFile(path, header, [c.data, lengths, ids, data]);
  }

  /** Reads an index written by save(). */
  static load(path: string): IvfIndex {
    const fn = 'IvfIndex.load';
    const { header, sections } = readIndexFile(path, fn, FORMAT, 1);
    if (sections.length !== 4) fail(fn, 'path', 'hold 4 sections', sections.length);
    const dims = headerInt(header, 'dims', fn, path);
    const nlist = headerInt(header, 'nlist', fn, path);
    const size = headerInt(header, 'size', fn, path);
    const trainSize = header.trainSize === null ? undefined : headerInt(header, 'trainSize', fn, path);
    const index = new IvfIndex(dims, {
      nlist,
      nprobe: headerInt(header, 'nprobe', fn, path),
      seed: headerInt(header, 'seed', fn, path),
      trainSize,
    });
    const [centroids, lengths, ids, data] = [
      float32Section(sections[0]),
      int32Section(sections[1]),
      int32Section(sections[2]),
      float32Section(sections[3]),
    ];
    if (
      centroids.length !== nlist * dims ||
      lengths.length !== nlist ||
      ids.length !== size ||
      data.length !== size * dims ||
      lengths.reduce((a, b) => a + b, 0) !== size
    ) {
      fail(fn, 'path', `hold ${nlist} centroids and ${size} vectors of ${dims} dims`, path);
    }
    index.centroids = { data: Float32Array.from(centroids), rows: nlist, dims };
    let at = 0;
    index.lists = Array.from(lengths, (n) => {
      const list = {
        ids: Array.from(ids.subarray(at, at + n)),
        data: Array.from(data.subarray(at * dims, (at + n) * dims)),
      };
      at += n;
      return list;
    });
    index.count = size;
    return index;
  }

  private pack(): { data: Float32Array; ids: Int32Array; offsets: Int32Array } {
    if (this.packed) return this.packed;
    const offsets = new Int32Array(this.nlist + 1);
    this.lists.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.ids.length));
    const data = new Float32Array(this.count * this.dims);
    const ids = new Int32Array(this.count);
    this.lists.forEach((l, i) => {
      data.set(l.data, offsets[i] * this.dims);
      ids.set(l.ids, offsets[i]);
    });
    this.packed = { data, ids, offsets };
    return this.packed;
  }

  search(queries: VectorsLike, k: number): SearchResult {
    const c = this.centroids;
    if (!c) fail('IvfIndex.search', 'index', 'be trained first (call train)', 'untrained');
    const q = toMatrix('IvfIndex.search', queries, 'queries');
    if (q.dims !== this.dims) fail('IvfIndex.search', 'queries', `have ${this.dims} columns`, q.dims);
    checkNumber('IvfIndex.search', 'k', k, { min: 1, integer: true });
    const { data, ids: rowIds, offsets } = this.pack();
    const D = this.dims;
    const probe = new TopK(Math.min(this.nprobe, this.nlist));
    const top = new TopK(k);
    const ids = new Int32Array(q.rows * k).fill(-1);
    const distances = new Float32Array(q.rows * k).fill(Infinity);
    const s = new Float64Array(k);
    const ix = new Int32Array(k);
    for (let i = 0; i < q.rows; i++) {
      scan(q, i, c, probe);
      const lists = probe.sorted().indices;
      for (const l of lists) {
        for (let j = offsets[l]; j < offsets[l + 1]; j++) {
          let d2 = 0;
          for (let d = 0; d < D; d++) {
            const t = q.data[i * D + d] - data[j * D + d];
            d2 += t * t;
          }
          top.push(d2, j);
        }
      }
      const n = top.drainSorted(s, ix);
      for (let t = 0; t < n; t++) {
        ids[i * k + t] = rowIds[ix[t]];
        distances[i * k + t] = Math.sqrt(s[t]);
      }
    }
    return { ids, distances, k };
  }
}

function scan(q: Matrix, i: number, c: Matrix, top: TopK): void {
  const D = q.dims;
  for (let j = 0; j < c.rows; j++) {
    let d2 = 0;
    for (let d = 0; d < D; d++) {
      const t = q.data[i * D + d] - c.data[j * D + d];
      d2 += t * t;
    }
    top.push(d2, j);
  }
}
