/**
 * HNSW: a hierarchical navigable small-world graph (Malkov & Yashunin 2018, as in hnswlib).
 * Each vector gets a seeded random top layer (P(layer >= l) = M^-l); a query descends greedily
 * through the sparse upper layers, then runs a best-first search with `efSearch` candidates on
 * layer 0. Neighbours are chosen with the paper's heuristic (algorithm 4), which keeps links
 * pointing in different directions. Euclidean distance; normalize vectors first for cosine.
 * Same interface as IvfIndex, without a training step.
 */
import { type SeedLike, toRandom, type Random } from '../random';
import { checkNumber, fail } from '../validate';
import type { SearchResult, VectorIndex } from './exact-index';
import { float32Section, headerInt, int32Section, readIndexFile, writeIndexFile } from './index-file';
import { type VectorsLike, toMatrix } from '../linalg/matrix';
import { MinHeap } from '../linalg/heap';
import { TopK } from '../linalg/topk';

export interface HnswOptions {
  /** Links per node on the upper layers; layer 0 keeps 2·M (default 16, hnswlib's). */
  M?: number;
  /** Candidate list size while inserting (default 100): larger builds slower and recalls more. */
  efConstruction?: number;
  /** Candidate list size while searching (default 64; at least k is used). Can be changed later. */
  efSearch?: number;
  /** Seeds the random layer of each vector. */
  seed: SeedLike;
}

const FORMAT = 'metriclab-hnsw-index';

/**
 * @example
 * const hnsw = new HnswIndex(32, { M: 16, efConstruction: 100, seed: 1 });
 * hnsw.add(vectors);
 * hnsw.efSearch = 128;           // trade speed for recall at query time
 * hnsw.search(queries, 10).ids;
 * hnsw.remove([5]);              // never returned again; the graph keeps it as a waypoint
 * hnsw.save('/tmp/a.hnsw'); HnswIndex.load('/tmp/a.hnsw').search(queries, 10); // the same ids
 */
export class HnswIndex implements VectorIndex {
  efSearch: number;
  readonly M: number;
  readonly efConstruction: number;
  private readonly rng: Random;
  /** The numeric seed (a Random given as seed is recorded as 0), kept for save(). */
  private readonly seed: number;
  private readonly levelScale: number;
  private data = new Float32Array(0);
  private ids: number[] = [];
  /** links[node][layer] = neighbour nodes. */
  private links: number[][][] = [];
  private entry = -1;
  private topLayer = -1;
  /** visited[node] === visitTag marks nodes seen by the current search (no clearing per query). */
  private visited = new Uint32Array(0);
  /** deleted[node] = 1 after remove(): still a waypoint of the graph, never a result (hnswlib's markDelete). */
  private deleted = new Uint8Array(0);
  private removedCount = 0;
  private visitTag = 0;
  private readonly candidates = new MinHeap();

  constructor(
    readonly dims: number,
    options: HnswOptions,
  ) {
    const fn = 'HnswIndex';
    checkNumber(fn, 'dims', dims, { min: 1, integer: true });
    this.M = checkNumber(fn, 'M', options.M ?? 16, { min: 2, integer: true });
    this.efConstruction = checkNumber(fn, 'efConstruction', options.efConstruction ?? 100, { min: 1, integer: true });
    this.efSearch = checkNumber(fn, 'efSearch', options.efSearch ?? 64, { min: 1, integer: true });
    this.rng = toRandom(options.seed).fork('hnsw-levels');
    this.seed = typeof options.seed === 'number' ? options.seed : 0;
    this.levelScale = 1 / Math.log(this.M);
  }

  /** Vectors that searches can return (added and not removed). */
  get size(): number {
    return this.ids.length - this.removedCount;
  }

  /** Adds vectors one by one to the graph; ids default to 0.. in insertion order. */
  add(vectors: VectorsLike, ids?: ArrayLike<number>): void {
    const fn = 'HnswIndex.add';
    const m = toMatrix(fn, vectors);
    if (m.dims !== this.dims) fail(fn, 'vectors', `have ${this.dims} columns`, m.dims);
    if (ids !== undefined && ids.length !== m.rows)
      fail(fn, 'ids', `have one entry per vector (${m.rows})`, ids.length);
    const first = this.ids.length;
    for (let i = 0; i < m.rows; i++) {
      const id = ids ? ids[i] : first + i;
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) fail(fn, 'ids', 'be non-negative int32 integers', id);
    }
    if (this.visited.length < first + m.rows) {
      // Grow by doubling, so adding one vector at a time stays linear overall.
      const capacity = Math.max(first + m.rows, 2 * this.visited.length);
      const data = new Float32Array(capacity * this.dims);
      data.set(this.data.subarray(0, first * this.dims));
      this.data = data;
      const visited = new Uint32Array(capacity);
      visited.set(this.visited);
      this.visited = visited;
      const deleted = new Uint8Array(capacity);
      deleted.set(this.deleted);
      this.deleted = deleted;
    }
    this.data.set(m.data, first * this.dims);
    for (let i = 0; i < m.rows; i++) {
      this.ids.push(ids ? ids[i] : first + i);
      this.insert(first + i);
    }
    this.linkUnreachable();
  }

  /** Approximate k nearest stored vectors of each query; -1 / Infinity pad when the index is small. */
  search(queries: VectorsLike, k: number): SearchResult {
    const fn = 'HnswIndex.search';
    const q = toMatrix(fn, queries, 'queries');
    if (q.dims !== this.dims) fail(fn, 'queries', `have ${this.dims} columns`, q.dims);
    checkNumber(fn, 'k', k, { min: 1, integer: true });
    checkNumber(fn, 'efSearch', this.efSearch, { min: 1, integer: true });
    const ids = new Int32Array(q.rows * k).fill(-1);
    const distances = new Float32Array(q.rows * k).fill(Infinity);
    if (this.entry < 0) return { ids, distances, k };
    const s = new Float64Array(Math.max(k, this.efSearch));
    const ix = new Int32Array(s.length);
    for (let i = 0; i < q.rows; i++) {
      const query = q.data.subarray(i * this.dims, (i + 1) * this.dims);
      const found = this.searchLayer(query, this.descend(query, 0), Math.max(k, this.efSearch), 0, true);
      const n = Math.min(k, found.drainSorted(s, ix));
      for (let t = 0; t < n; t++) {
        ids[i * k + t] = this.ids[ix[t]];
        distances[i * k + t] = Math.sqrt(s[t]);
      }
    }
    return { ids, distances, k };
  }

  /**
   * Removes the given ids (unknown or already removed ids are ignored); returns how many vectors
   * were removed. As in hnswlib, a removed vector stays in the graph as a waypoint (its links
   * keep the graph connected) but is never returned; its memory is kept.
   */
  remove(ids: ArrayLike<number>): number {
    const drop = new Set(Array.from(ids));
    let removed = 0;
    this.ids.forEach((id, node) => {
      if (!drop.has(id) || this.deleted[node]) return;
      this.deleted[node] = 1;
      removed++;
    });
    this.removedCount += removed;
    return removed;
  }

  /**
   * Writes the graph, the vectors, the ids and the removed marks to `path`; load() restores an
   * index that searches and grows exactly like this one (same random layers for later adds).
   */
  save(path: string): void {
    const n = this.ids.length;
    const layers = Int32Array.from(this.links, (l) => l.length);
    const flat: number[] = [];
    for (const node of this.links) for (const list of node) flat.push(list.length, ...list);
    const header = {
      format: FORMAT,
      version: 1,
      dims: this.dims,
      M: this.M,
      efConstruction: this.efConstruction,
      efSearch: this.efSearch,
      seed: this.seed,
      nodes: n,
      entry: this.entry,
      topLayer: this.topLayer,
    };
    const deleted = Int32Array.from(this.deleted.subarray(0, n));
    writeIndexFile(path, header, [
      Int32Array.from(this.ids),
      deleted,
      layers,
      Int32Array.from(flat),
      this.data.subarray(0, n * this.dims),
    ]);
  }

  /** Reads an index written by save(). */
  static load(path: string): HnswIndex {
    const fn = 'HnswIndex.load';
    const { header, sections } = readIndexFile(path, fn, FORMAT, 1);
    if (sections.length !== 5) fail(fn, 'path', 'hold 5 sections', sections.length);
    const int = (key: string) => headerInt(header, key, fn, path);
    const dims = int('dims');
    const n = int('nodes');
    const seed = int('seed');
    const index = new HnswIndex(dims, {
      M: int('M'),
      efConstruction: int('efConstruction'),
      efSearch: int('efSearch'),
      seed,
    });
    const [ids, deleted, layers, flat] = sections.slice(0, 4).map(int32Section);
    const data = float32Section(sections[4]);
    if (ids.length !== n || deleted.length !== n || layers.length !== n || data.length !== n * dims)
      fail(fn, 'path', `hold ${n} nodes of ${dims} dims`, path);
    let at = 0;
    const links: number[][][] = [];
    for (let node = 0; node < n; node++) {
      const layerLinks: number[][] = [];
      for (let l = 0; l < layers[node]; l++) {
        const count = flat[at];
        const list = Array.from(flat.subarray(at + 1, at + 1 + count));
        if (!(count >= 0) || list.length !== count || list.some((o) => !(o >= 0 && o < n)))
          fail(fn, 'path', 'hold links to stored nodes only', path);
        layerLinks.push(list);
        at += 1 + count;
      }
      links.push(layerLinks);
    }
    if (at !== flat.length) fail(fn, 'path', 'hold exactly the links its header counts', path);
    index.data = Float32Array.from(data);
    index.ids = Array.from(ids);
    index.links = links;
    index.visited = new Uint32Array(n);
    index.deleted = Uint8Array.from(deleted);
    index.removedCount = index.deleted.reduce((a, b) => a + b, 0);
    const entry = header.entry;
    const topLayer = header.topLayer;
    if (!Number.isInteger(entry) || !Number.isInteger(topLayer) || (entry as number) >= n || (entry as number) < -1)
      fail(fn, 'path', 'have a valid entry point', path);
    index.entry = entry as number;
    index.topLayer = topLayer as number;
    // One uniform draw per inserted vector: replay them so later adds get the layers they would have.
    for (let i = 0; i < n; i++) index.rng.uniform();
    return index;
  }

  /**
   * Trimming links can leave a few vectors with no path to them on layer 0 (hnswlib behaves
   * alike): no search could ever return them, and with small M that was 1 in 400 here. After
   * each add, every vector not reachable from the entry point gets a link from its nearest
   * reachable vector (found by searching the graph), one over that vector's cap until its next
   * trim. The check is one O(N·M) traversal per add call.
   */
  private linkUnreachable(): void {
    const seen = new Uint8Array(this.ids.length);
    const visit = (from: number): void => {
      const stack = [from];
      seen[from] = 1;
      while (stack.length > 0) {
        for (const other of this.links[stack.pop() as number][0]) {
          if (seen[other]) continue;
          seen[other] = 1;
          stack.push(other);
        }
      }
    };
    visit(this.entry);
    for (let node = 0; node < this.ids.length; node++) {
      if (seen[node]) continue;
      const query = this.vector(node);
      // The descent may pass through other unreachable vectors: link from a reachable one.
      const found = this.searchLayer(query, this.descend(query, 0), this.efConstruction, 0).sorted().indices;
      const nearest = found.find((other) => seen[other] === 1) ?? this.entry;
      this.links[nearest][0].push(node);
      visit(node);
    }
  }

  private distanceTo(query: Float32Array, node: number): number {
    const D = this.dims;
    const o = node * D;
    let d2 = 0;
    for (let d = 0; d < D; d++) {
      const t = query[d] - this.data[o + d];
      d2 += t * t;
    }
    return d2;
  }

  private vector(node: number): Float32Array {
    return this.data.subarray(node * this.dims, (node + 1) * this.dims);
  }

  private insert(node: number): void {
    // Top layer ~ floor(-ln U · mL), mL = 1/ln M (the paper's normalisation); 1 - U avoids ln 0.
    const level = Math.floor(-Math.log(1 - this.rng.uniform()) * this.levelScale);
    this.links.push(Array.from({ length: level + 1 }, () => []));
    if (this.entry < 0) {
      this.entry = node;
      this.topLayer = level;
      return;
    }
    const query = this.vector(node);
    let ep = this.descend(query, level);
    for (let layer = Math.min(level, this.topLayer); layer >= 0; layer--) {
      const found = this.searchLayer(query, ep, this.efConstruction, layer).sorted();
      ep = found.indices[0];
      const chosen = this.selectNeighbours(query, found.indices, found.scores, this.M);
      this.links[node][layer] = chosen;
      const cap = layer === 0 ? 2 * this.M : this.M;
      for (const other of chosen) {
        const list = this.links[other][layer];
        list.push(node);
        if (list.length > cap) this.shrink(other, layer, cap);
      }
    }
    if (level > this.topLayer) {
      this.entry = node;
      this.topLayer = level;
    }
  }

  /** Re-selects a node's links with the heuristic when a new link pushed it over the cap. */
  private shrink(node: number, layer: number, cap: number): void {
    const base = this.vector(node);
    const list = this.links[node][layer];
    const top = new TopK(list.length);
    for (const other of list) top.push(this.distanceTo(base, other), other);
    const { scores, indices } = top.sorted();
    this.links[node][layer] = this.selectNeighbours(base, indices, scores, cap, true);
  }

  /**
   * The paper's heuristic: walk candidates nearest first and keep one only if it is closer to
   * the base than to every neighbour already kept, so links spread around the base instead of
   * all pointing into the nearest cluster. `keepPruned` (the paper's keepPrunedConnections)
   * then fills free slots with the nearest rejected ones: used when trimming an existing node's
   * links, where dropping more than needed can leave a node with no incoming link at all
   * (unreachable) in sparse graphs (small M).
   */
  private selectNeighbours(
    base: Float32Array,
    nodes: Int32Array,
    scores: Float64Array,
    cap: number,
    keepPruned = false,
  ): number[] {
    const kept: number[] = [];
    const pruned: number[] = [];
    for (let c = 0; c < nodes.length && kept.length < cap; c++) {
      const candidate = this.vector(nodes[c]);
      let good = true;
      for (const k of kept) {
        if (this.distanceTo(candidate, k) < scores[c]) {
          good = false;
          break;
        }
      }
      if (good) kept.push(nodes[c]);
      else pruned.push(nodes[c]);
    }
    if (keepPruned) for (const node of pruned) if (kept.length < cap) kept.push(node);
    return kept;
  }

  /** The entry point for layer `layer`: greedy walks from the top layer down to layer + 1. */
  private descend(query: Float32Array, layer: number): number {
    let ep = this.entry;
    for (let l = this.topLayer; l > layer; l--) ep = this.greedy(query, ep, l);
    return ep;
  }

  /** Greedy walk on one layer: move to a closer neighbour until none is closer. */
  private greedy(query: Float32Array, start: number, layer: number): number {
    let current = start;
    let best = this.distanceTo(query, current);
    for (let moved = true; moved;) {
      moved = false;
      for (const other of this.links[current][layer]) {
        const d = this.distanceTo(query, other);
        if (d < best || (d === best && other < current)) {
          best = d;
          current = other;
          moved = true;
        }
      }
    }
    return current;
  }

  /**
   * Best-first search on one layer from `start`, keeping the ef nearest seen (algorithm 2).
   * `liveOnly`: removed nodes are walked through but not kept (a query's final search).
   */
  private searchLayer(query: Float32Array, start: number, ef: number, layer: number, liveOnly = false): TopK {
    const tag = ++this.visitTag;
    if (tag === 0xffffffff) {
      this.visited.fill(0);
      this.visitTag = 1;
    }
    const visited = this.visited;
    visited[start] = this.visitTag;
    const results = new TopK(ef);
    const candidates = this.candidates;
    candidates.clear();
    const d0 = this.distanceTo(query, start);
    candidates.push(d0, start);
    const deleted = liveOnly ? this.deleted : null;
    if (!deleted?.[start]) results.push(d0, start);
    while (candidates.size > 0) {
      // Stop once the nearest unexpanded candidate is farther than the worst kept result.
      if (results.size === ef && candidates.peekScore() > results.scores[0]) break;
      const current = candidates.pop();
      for (const other of this.links[current][layer]) {
        if (visited[other] === this.visitTag) continue;
        visited[other] = this.visitTag;
        const d = this.distanceTo(query, other);
        if (results.size < ef || d < results.scores[0]) {
          candidates.push(d, other);
          if (!deleted?.[other]) results.push(d, other);
        }
      }
    }
    return results;
  }
}
