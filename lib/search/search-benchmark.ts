/**
 * One row of a search benchmark: build time, queries per second and per-query latency
 * percentiles (one query at a time, as a server answers them), recall@k against exact search,
 * and exact bytes per stored vector. Timings are for display: they depend on the machine and its
 * load, so tests assert only the counts and recalls.
 */
import { checkNumber, fail } from '../validate';
import { recallAtK } from './evaluate';
import type { SearchResult, VectorIndex } from './exact-index';
import { indexBytes } from './index-bytes';
import { type VectorsLike, toMatrix } from '../linalg/matrix';

export interface SearchBenchmarkOptions<I extends VectorIndex> {
  /** Builds and fills the index; its time is the build time. */
  build: () => I;
  queries: VectorsLike;
  /** Neighbours per query (default 10). */
  k?: number;
  /** Exact neighbours of the same queries with at least k per row (e.g. ExactIndex.search): gives recall@k. */
  truth?: SearchResult;
  /** Queries searched first and not timed (default min(10, queries)). */
  warmup?: number;
}

export interface SearchBenchmark<I extends VectorIndex> {
  index: I;
  buildSeconds: number;
  /** Queries answered per second, one at a time on one thread: 1000 / mean latency in ms. */
  queriesPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Mean |found ∩ exact| / k; NaN without truth. */
  recall: number;
  k: number;
  /** indexBytes(index): exact, counted from the index's arrays or its saved file. */
  bytes: number;
  bytesPerVector: number;
  /** The neighbours found, [queries, k]. */
  result: SearchResult;
}

/**
 * The p-th percentile (0-100) of `values` by the nearest-rank rule (an observed value).
 *
 * @example
 * percentile([5, 1, 3, 2, 4], 50); // 3
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  checkNumber('percentile', 'p', p, { min: 0, max: 100 });
  if (values.length === 0) fail('percentile', 'values', 'be non-empty', 'an empty list');
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * @example
 * const exact = new ExactIndex(64); exact.add(vectors);
 * const truth = exact.search(queries, 10);
 * const row = benchmarkSearch({ build: () => { const h = new HnswIndex(64, { seed: 1 }); h.add(vectors); return h; }, queries, truth });
 * row.recall; row.latencyMs.p99; row.bytesPerVector;
 */
export function benchmarkSearch<I extends VectorIndex>(options: SearchBenchmarkOptions<I>): SearchBenchmark<I> {
  const fn = 'benchmarkSearch';
  const q = toMatrix(fn, options.queries, 'queries');
  const k = checkNumber(fn, 'k', options.k ?? 10, { min: 1, integer: true });
  const warmup = checkNumber(fn, 'warmup', options.warmup ?? Math.min(10, q.rows), { min: 0, integer: true });
  const truth = options.truth;
  if (truth && (truth.k < k || truth.ids.length !== q.rows * truth.k))
    fail(fn, 'truth', `hold at least k (${k}) neighbours for each of the ${q.rows} queries`, `k ${truth.k}`);
  let t0 = performance.now();
  const index = options.build();
  const buildSeconds = (performance.now() - t0) / 1000;
  if (index.dims !== q.dims) fail(fn, 'queries', `have the index's ${index.dims} columns`, q.dims);
  const row = (i: number) => ({ data: q.data.subarray(i * q.dims, (i + 1) * q.dims), rows: 1, dims: q.dims });
  for (let i = 0; i < Math.min(warmup, q.rows); i++) index.search(row(i), k);
  const ids = new Int32Array(q.rows * k);
  const distances = new Float32Array(q.rows * k);
  const latency = new Float64Array(q.rows);
  for (let i = 0; i < q.rows; i++) {
    t0 = performance.now();
    const r = index.search(row(i), k);
    latency[i] = performance.now() - t0;
    ids.set(r.ids, i * k);
    distances.set(r.distances, i * k);
  }
  const mean = latency.reduce((a, b) => a + b, 0) / q.rows;
  const truthIds = truth ? topColumns(truth, k) : null;
  const bytes = indexBytes(index);
  return {
    index,
    buildSeconds,
    queriesPerSecond: 1000 / Math.max(mean, 1e-6),
    latencyMs: {
      p50: percentile(latency, 50),
      p90: percentile(latency, 90),
      p99: percentile(latency, 99),
      max: percentile(latency, 100),
      mean,
    },
    recall: truthIds ? recallAtK(ids, truthIds, q.rows, k) : NaN,
    k,
    bytes,
    bytesPerVector: index.size > 0 ? bytes / index.size : NaN,
    result: { ids, distances, k },
  };
}

/** The first k columns of a [rows, r.k] result. */
function topColumns(r: SearchResult, k: number): Int32Array {
  if (r.k === k) return r.ids;
  const rows = r.ids.length / r.k;
  const out = new Int32Array(rows * k);
  for (let i = 0; i < rows; i++) out.set(r.ids.subarray(i * r.k, i * r.k + k), i * k);
  return out;
}

/**
 * MAP@R of neighbour lists returned by an index (pytorch-metric-learning's definition): R = the
 * number of stored items sharing the query's label; a list shorter than R counts the missing
 * places as misses, so search with k >= the largest R.
 *
 * @example
 * // query labels [0]; ids 7 and 9 have label 0, id 8 has label 1
 * mapAtRFromNeighbours({ ids: Int32Array.of(7, 8, 9), distances: new Float32Array(3), k: 3 }, [0], new Map([[7, 0], [8, 1], [9, 0]]));
 * // R = 2: (1/1 + 0) / 2 = 0.5
 */
export function mapAtRFromNeighbours(
  result: SearchResult,
  queryLabels: ArrayLike<number>,
  labelOfId: ReadonlyMap<number, number>,
): number {
  const fn = 'mapAtRFromNeighbours';
  const rows = result.ids.length / result.k;
  if (queryLabels.length !== rows) fail(fn, 'queryLabels', `have one entry per query (${rows})`, queryLabels.length);
  const count = new Map<number, number>();
  for (const l of labelOfId.values()) count.set(l, (count.get(l) ?? 0) + 1);
  let sum = 0;
  let scored = 0;
  for (let i = 0; i < rows; i++) {
    const R = count.get(queryLabels[i]) ?? 0;
    if (R === 0) continue;
    let hits = 0;
    let ap = 0;
    for (let r = 0; r < Math.min(R, result.k); r++) {
      if (labelOfId.get(result.ids[i * result.k + r]) === queryLabels[i]) ap += ++hits / (r + 1);
    }
    sum += ap / R;
    scored++;
  }
  return scored > 0 ? sum / scored : NaN;
}
