/**
 * A brute-force index: add/remove vectors under integer ids, exact k-NN search (exact.ts), and a
 * small file format: a JSON header line, then the ids (int32) and vectors (float32), little-endian.
 */
import * as fs from 'fs';
import { checkNumber, checkOneOf, fail } from '../validate';
import { type KnnDistance, KNN_DISTANCES, forEachKnnChunk } from './exact';
import { type Matrix, type VectorsLike, toMatrix } from '../linalg/matrix';

/** Neighbour ids and distances, row-major [queries, k]; -1 / Infinity pad when the index is small. */
export interface SearchResult {
  ids: Int32Array;
  distances: Float32Array;
  k: number;
}

/** What evaluateIndex and the benchmarks need from an index. */
export interface VectorIndex {
  readonly size: number;
  readonly dims: number;
  search(queries: VectorsLike, k: number): SearchResult;
}

const MAGIC = 'metriclab-exact-index';

/**
 * @example
 * const index = new ExactIndex(2);
 * index.add([[0, 0], [1, 0], [5, 5]], [10, 11, 12]);
 * index.search([[0.9, 0]], 2).ids; // [11, 10]
 * index.remove([11]);
 * index.save('/tmp/x.idx'); ExactIndex.load('/tmp/x.idx').size; // 2
 */
export class ExactIndex implements VectorIndex {
  private data = new Float32Array(0);
  private idList: number[] = [];
  private nextId = 0;
  readonly distance: KnnDistance;

  constructor(
    readonly dims: number,
    options: { distance?: KnnDistance } = {},
  ) {
    checkNumber('ExactIndex', 'dims', dims, { min: 1, integer: true });
    this.distance = checkOneOf('ExactIndex', 'distance', options.distance ?? 'euclidean', KNN_DISTANCES);
  }

  get size(): number {
    return this.idList.length;
  }

  /** Adds vectors; ids default to consecutive integers after the largest seen. Returns the ids. */
  add(vectors: VectorsLike, ids?: ArrayLike<number>): Int32Array {
    const m = toMatrix('ExactIndex.add', vectors);
    if (m.dims !== this.dims) fail('ExactIndex.add', 'vectors', `have ${this.dims} columns`, m.dims);
    if (ids !== undefined && ids.length !== m.rows)
      fail('ExactIndex.add', 'ids', `have one entry per vector (${m.rows})`, ids.length);
    const out = new Int32Array(m.rows);
    const taken = new Set(this.idList);
    for (let i = 0; i < m.rows; i++) {
      const id = ids ? ids[i] : this.nextId + i;
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff)
        fail('ExactIndex.add', 'ids', 'be non-negative int32 integers', id);
      if (taken.has(id)) fail('ExactIndex.add', 'ids', 'be unique and not already in the index', `duplicate ${id}`);
      taken.add(id);
      out[i] = id;
    }
    const data = new Float32Array(this.data.length + m.data.length);
    data.set(this.data);
    data.set(m.data, this.data.length);
    this.data = data;
    for (const id of out) {
      this.idList.push(id);
      this.nextId = Math.max(this.nextId, id + 1);
    }
    return out;
  }

  /** Removes the given ids (unknown ids are ignored); returns how many were removed. */
  remove(ids: ArrayLike<number>): number {
    const drop = new Set(Array.from(ids));
    const keep: number[] = [];
    this.idList.forEach((id, i) => {
      if (!drop.has(id)) keep.push(i);
    });
    const removed = this.idList.length - keep.length;
    const data = new Float32Array(keep.length * this.dims);
    keep.forEach((row, i) => data.set(this.data.subarray(row * this.dims, (row + 1) * this.dims), i * this.dims));
    this.data = data;
    this.idList = keep.map((row) => this.idList[row]);
    return removed;
  }

  /** The stored vectors as a Matrix (shared memory; do not modify). */
  vectors(): Matrix {
    return { data: this.data, rows: this.size, dims: this.dims };
  }

  /** Exact k nearest stored vectors of each query. */
  search(queries: VectorsLike, k: number): SearchResult {
    const q = toMatrix('ExactIndex.search', queries, 'queries');
    if (q.dims !== this.dims) fail('ExactIndex.search', 'queries', `have ${this.dims} columns`, q.dims);
    checkNumber('ExactIndex.search', 'k', k, { min: 1, integer: true });
    const ids = new Int32Array(q.rows * k).fill(-1);
    const distances = new Float32Array(q.rows * k).fill(Infinity);
    const kk = Math.min(k, this.size);
    if (kk > 0) {
      forEachKnnChunk(q, this.vectors(), { k: kk, distance: this.distance, excludeSelf: false }, (c) => {
        for (let i = 0; i < c.rows; i++) {
          for (let t = 0; t < kk; t++) {
            ids[(c.start + i) * k + t] = this.idList[c.indices[i * kk + t]];
            distances[(c.start + i) * k + t] = c.distances[i * kk + t];
          }
        }
      });
    }
    return { ids, distances, k };
  }

  save(path: string): void {
    const header = Buffer.from(
      JSON.stringify({ format: MAGIC, version: 1, dims: this.dims, size: this.size, distance: this.distance }) + '\n',
    );
    const ids = Buffer.from(Int32Array.from(this.idList).buffer);
    const vecs = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    fs.writeFileSync(path, Buffer.concat([header, ids, vecs]));
  }

  static load(path: string): ExactIndex {
    const buf = fs.readFileSync(path);
    const nl = buf.indexOf(10);
    let h: { format?: string; version?: number; dims?: number; size?: number; distance?: KnnDistance } = {};
    try {
      h = JSON.parse(buf.subarray(0, Math.max(0, nl)).toString('utf8'));
    } catch {
      // fall through to the format check
    }
    if (h.format !== MAGIC || h.version !== 1 || !Number.isInteger(h.dims) || !Number.isInteger(h.size)) {
      fail('ExactIndex.load', 'path', `name a ${MAGIC} v1 file`, path);
    }
    const dims = h.dims as number;
    const size = h.size as number;
    const body = buf.subarray(nl + 1);
    if (body.length !== size * 4 * (1 + dims))
      fail('ExactIndex.load', 'path', `hold ${size * 4 * (1 + dims)} data bytes`, body.length);
    // Copy into fresh aligned buffers (a Buffer slice may sit at any byte offset).
    const bytes = Uint8Array.from(body);
    const index = new ExactIndex(dims, { distance: h.distance });
    const ids = new Int32Array(bytes.buffer, 0, size);
    const data = new Float32Array(bytes.buffer, size * 4, size * dims);
    if (size > 0) index.add({ data: Float32Array.from(data), rows: size, dims }, ids);
    return index;
  }
}
