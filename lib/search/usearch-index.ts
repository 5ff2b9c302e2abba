/**
 * An optional native HNSW index: usearch (an optionalDependency with prebuilt binaries) behind
 * the library's VectorIndex interface, with add, search, remove, save and load like HnswIndex.
 * `hnswIndex()` picks it when the package loads and falls back to the JavaScript HnswIndex
 * otherwise, so code written against it runs everywhere. Euclidean distance (usearch's l2sq,
 * square-rooted here so distances match the other indexes).
 *
 * @example
 * const index = hnswIndex(64, { M: 16, efConstruction: 40, efSearch: 64, seed: 1 });
 * index.add(vectors);
 * index.search(queries, 10).ids;
 * nativeAnnBackend(); // 'usearch 2.21.4' or null
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkNumber, fail } from '../validate';
import type { SearchResult, VectorIndex } from './exact-index';
import { HnswIndex, type HnswOptions } from './hnsw';
import { type VectorsLike, toMatrix } from '../linalg/matrix';

/** The part of usearch's Index this wrapper uses (typed here: the package is optional). */
interface NativeIndex {
  add(keys: BigUint64Array, vectors: Float32Array): void;
  search(vectors: Float32Array, k: number): { keys: BigUint64Array; distances: Float32Array; counts?: BigUint64Array };
  remove(keys: BigUint64Array): unknown;
  contains(key: bigint): boolean;
  size(): number;
  save(path: string): void;
  load(path: string): void;
}
interface UsearchModule {
  Index: new (options: {
    metric: 'l2sq';
    dimensions: number;
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
  }) => NativeIndex;
}

let usearch: UsearchModule | null | undefined;

function loadUsearch(): UsearchModule | null {
  if (usearch === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      usearch = require('usearch') as UsearchModule;
    } catch {
      usearch = null;
    }
  }
  return usearch;
}

/**
 * The native ANN package in use ('usearch <version>'), or null when it is not installed or does
 * not load on this platform.
 *
 * @example
 * nativeAnnBackend() ?? 'JavaScript HNSW';
 */
export function nativeAnnBackend(): string | null {
  if (!loadUsearch()) return null;
  try {
    // usearch's "exports" hide package.json: walk up from the resolved entry point to the one
    // named usearch (the build folders hold nameless package.json files of their own).
    for (let dir = path.dirname(require.resolve('usearch')); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'usearch' && pkg.version) return `usearch ${pkg.version}`;
    }
    return 'usearch';
  } catch {
    return 'usearch';
  }
}

const FORMAT = 'metriclab-usearch-index';

export interface UsearchOptions {
  /** Links per node (usearch's connectivity; default 16). */
  M?: number;
  /** Candidate list size while inserting (expansion_add; default 100). */
  efConstruction?: number;
  /** Candidate list size while searching (expansion_search; default 64), fixed at construction. */
  efSearch?: number;
}

/**
 * @example
 * const index = new UsearchIndex(8, { M: 16 }); // throws if usearch is not installed
 * index.add([[0, 0, 0, 0, 0, 0, 0, 1]], [42]);
 * index.remove([42]);
 */
export class UsearchIndex implements VectorIndex {
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  private readonly native: NativeIndex;
  private nextId = 0;

  constructor(
    readonly dims: number,
    options: UsearchOptions = {},
  ) {
    const fn = 'UsearchIndex';
    checkNumber(fn, 'dims', dims, { min: 1, integer: true });
    this.M = checkNumber(fn, 'M', options.M ?? 16, { min: 2, integer: true });
    this.efConstruction = checkNumber(fn, 'efConstruction', options.efConstruction ?? 100, { min: 1, integer: true });
    this.efSearch = checkNumber(fn, 'efSearch', options.efSearch ?? 64, { min: 1, integer: true });
    const lib = loadUsearch();
    if (!lib) fail(fn, 'usearch', 'be installed (npm install usearch) to use the native index', 'not installed');
    this.native = new lib.Index({
      metric: 'l2sq',
      dimensions: dims,
      connectivity: this.M,
      expansion_add: this.efConstruction,
      expansion_search: this.efSearch,
    });
  }

  get size(): number {
    return this.native.size();
  }

  /** Adds vectors; ids default to consecutive integers after the largest seen. */
  add(vectors: VectorsLike, ids?: ArrayLike<number>): void {
    const fn = 'UsearchIndex.add';
    const m = toMatrix(fn, vectors);
    if (m.dims !== this.dims) fail(fn, 'vectors', `have ${this.dims} columns`, m.dims);
    if (ids !== undefined && ids.length !== m.rows)
      fail(fn, 'ids', `have one entry per vector (${m.rows})`, ids.length);
    const keys = new BigUint64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      const id = ids ? ids[i] : this.nextId + i;
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) fail(fn, 'ids', 'be non-negative int32 integers', id);
      if (this.native.contains(BigInt(id)))
        fail(fn, 'ids', 'be unique and not already in the index', `duplicate ${id}`);
      keys[i] = BigInt(id);
    }
    if (m.rows === 0) return;
    this.native.add(keys, m.data);
    for (const k of keys) this.nextId = Math.max(this.nextId, Number(k) + 1);
  }

  /** Approximate k nearest stored vectors of each query; -1 / Infinity pad when fewer are found. */
  search(queries: VectorsLike, k: number): SearchResult {
    const fn = 'UsearchIndex.search';
    const q = toMatrix(fn, queries, 'queries');
    if (q.dims !== this.dims) fail(fn, 'queries', `have ${this.dims} columns`, q.dims);
    checkNumber(fn, 'k', k, { min: 1, integer: true });
    const ids = new Int32Array(q.rows * k).fill(-1);
    const distances = new Float32Array(q.rows * k).fill(Infinity);
    if (q.rows === 0 || this.size === 0) return { ids, distances, k };
    const r = this.native.search(q.data, k);
    for (let i = 0; i < q.rows; i++) {
      // One query gives Matches (only the found ones), several give BatchMatches ([rows, k] + counts).
      const found = r.counts ? Number(r.counts[i]) : r.keys.length;
      for (let t = 0; t < found; t++) {
        ids[i * k + t] = Number(r.keys[i * k + t]);
        distances[i * k + t] = Math.sqrt(Math.max(0, r.distances[i * k + t]));
      }
    }
    return { ids, distances, k };
  }

  /** Removes the given ids (unknown ids are ignored); returns how many were removed. */
  remove(ids: ArrayLike<number>): number {
    const present = Array.from(ids).filter((id) => Number.isInteger(id) && id >= 0 && this.native.contains(BigInt(id)));
    const unique = [...new Set(present)];
    if (unique.length > 0) this.native.remove(BigUint64Array.from(unique, (id) => BigInt(id)));
    return unique.length;
  }

  /** Writes usearch's own file to `path` and the settings to `path + '.json'`. */
  save(path: string): void {
    this.native.save(path);
    const header = { format: FORMAT, version: 1, dims: this.dims, M: this.M, efConstruction: this.efConstruction };
    fs.writeFileSync(`${path}.json`, JSON.stringify({ ...header, efSearch: this.efSearch, nextId: this.nextId }));
  }

  /** Reads an index written by save(). */
  static load(path: string): UsearchIndex {
    const fn = 'UsearchIndex.load';
    let h: Record<string, unknown> = {};
    try {
      h = JSON.parse(fs.readFileSync(`${path}.json`, 'utf8')) as Record<string, unknown>;
    } catch {
      // fall through to the format check
    }
    const ints = ['dims', 'M', 'efConstruction', 'efSearch', 'nextId'];
    if (h.format !== FORMAT || h.version !== 1 || !ints.every((key) => Number.isInteger(h[key]))) {
      fail(fn, 'path', `name a ${FORMAT} v1 file with its .json settings beside it`, path);
    }
    const n = (key: string) => h[key] as number;
    const index = new UsearchIndex(n('dims'), {
      M: n('M'),
      efConstruction: n('efConstruction'),
      efSearch: n('efSearch'),
    });
    index.native.load(path);
    index.nextId = n('nextId');
    return index;
  }
}

/**
 * An HNSW index: the native one (UsearchIndex) when usearch loads and `native` is not false,
 * else the JavaScript HnswIndex (seeded; the native build order is not).
 *
 * @example
 * const index = hnswIndex(64, { M: 16, efConstruction: 40, efSearch: 64, seed: 1 });
 * index instanceof UsearchIndex; // true where usearch is installed
 */
export function hnswIndex(dims: number, options: HnswOptions & { native?: boolean }): UsearchIndex | HnswIndex {
  if (options.native !== false && loadUsearch()) return new UsearchIndex(dims, options);
  return new HnswIndex(dims, options);
}
