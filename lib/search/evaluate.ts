/** Recall and speed of an (approximate) index against exact search on the same queries. */
import type { VectorIndex } from './exact-index';
import { type VectorsLike, toMatrix } from '../linalg/matrix';

export interface IndexEvaluation {
  /** Mean over queries of |approx top-10 ∩ exact top-10| / 10. */
  recallAt10: number;
  queriesPerSecond: number;
  /** Exact search speed on the same queries, for the ratio. */
  exactQueriesPerSecond: number;
}

/**
 * @example
 * const [ivf, exact] = [new IvfIndex(32, { nlist: 64, nprobe: 8, seed: 1 }), new ExactIndex(32)];
 * ivf.train(vectors); ivf.add(vectors); exact.add(vectors); // vectors: 32 values each
 * const e = evaluateIndex(ivf, exact, queries);
 * e.recallAt10; // e.g. 0.97
 */
export function evaluateIndex(index: VectorIndex, exact: VectorIndex, queries: VectorsLike): IndexEvaluation {
  const q = toMatrix('evaluateIndex', queries, 'queries');
  const k = 10;
  let t0 = performance.now();
  const truth = exact.search(q, k);
  const exactMs = performance.now() - t0;
  t0 = performance.now();
  const got = index.search(q, k);
  const ms = performance.now() - t0;
  return {
    recallAt10: recallAtK(got.ids, truth.ids, q.rows, k),
    queriesPerSecond: (q.rows * 1000) / Math.max(ms, 1e-3),
    exactQueriesPerSecond: (q.rows * 1000) / Math.max(exactMs, 1e-3),
  };
}

/**
 * Mean overlap of two [rows, k] id lists, ignoring -1 padding in the truth.
 *
 * @example
 * recallAtK(new Int32Array([1, 2]), new Int32Array([2, 3]), 1, 2); // 0.5
 */
export function recallAtK(found: Int32Array, truth: Int32Array, rows: number, k: number): number {
  let hit = 0;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const t = new Set(Array.from(truth.subarray(i * k, (i + 1) * k)).filter((x) => x >= 0));
    total += t.size;
    for (let j = 0; j < k; j++) if (t.has(found[i * k + j])) hit++;
  }
  return total > 0 ? hit / total : NaN;
}
