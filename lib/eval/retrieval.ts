/**
 * Retrieval metrics from one exact k-NN pass: P@1, P@K, Recall@K, R-precision, MAP@R, mAP, MRR.
 *
 * Semantics follow pytorch-metric-learning's AccuracyCalculator (and test/fixtures/parity.json):
 * R = number of reference items sharing the query's label (the query itself excluded in
 * self-retrieval); neighbours are retrieved up to kMax = max R (or the largest K asked for);
 * MAP@R = (1/R) sum_{i<=R} P@i rel(i); mAP is the same sum over the kMax nearest, still divided
 * by R; MRR = 1/rank of the first correct neighbour within kMax (0 if none); Recall@K is the
 * metric-learning recall (1 if any of the K nearest shares the label). Queries whose label has
 * no reference item are skipped and counted. Neighbour lists are consumed chunk by chunk, so
 * 70,000 queries never hold 70,000 x kMax indices at once; large sets are split between worker
 * threads (retrieval-threads.ts) and the calling thread, which still returns synchronously.
 */
import type { LabelsLike } from '../types';
import { checkNumber, checkOneOf, fail, labelsToArray } from '../validate';
import { KNN_DISTANCES, KNN_PRECISIONS, type KnnDistance, type KnnPrecision } from '../search/exact';
import { type VectorsLike, toMatrix } from '../linalg/matrix';
import { metricColumns, type ScoringJob, scoreQueries } from './retrieval-scoring';
import { scoreInThreads, sharedColumns, workerCount } from './retrieval-threads';

export const AVERAGINGS = ['queries', 'classes'] as const;
/** 'queries': mean over queries; 'classes': mean over classes of the per-class mean. */
export type Averaging = (typeof AVERAGINGS)[number];

export interface RetrievalOptions {
  queries: VectorsLike;
  queryLabels: LabelsLike;
  /** Omitted: self-retrieval among the queries, each query's own entry excluded. */
  reference?: VectorsLike;
  referenceLabels?: LabelsLike;
  /** Default 'euclidean'. */
  distance?: KnnDistance;
  /** Default 'float32' (tfjs matmul); 'float64' is exact and slower. */
  precision?: KnnPrecision;
  /** Default [1, 2, 4, 8]. */
  recallAtK?: number[];
  /** Default [1, 5, 10]. */
  precisionAtK?: number[];
  /** Default 'queries'. */
  averaging?: Averaging;
  /** Memory budget of one k-NN chunk in bytes (default 64 MiB). */
  chunkBytes?: number;
  /**
   * Worker threads besides the calling one (each with its own tfjs backend and chunk buffer).
   * Default: one per further core, at most 3, for sets of 400 M query-reference pairs or more
   * (20,000 × 20,000) on wasm; 0 otherwise. The result does not depend on it.
   */
  workers?: number;
}

export interface RetrievalMetrics {
  precisionAt1: number;
  rPrecision: number;
  mapAtR: number;
  map: number;
  meanReciprocalRank: number;
  /** K -> precision@K (hits among the K nearest / K). */
  precisionAtK: Record<number, number>;
  /** K -> Recall@K (fraction of queries with a hit among the K nearest). */
  recallAtK: Record<number, number>;
  /** Queries that entered the averages. */
  queries: number;
  /** Queries skipped because no reference item shares their label. */
  skippedQueries: number;
  /** Neighbours retrieved per query (kMax). */
  k: number;
  averaging: Averaging;
}

const FN = 'retrievalMetrics';

function checkKs(arg: string, ks: number[]): number[] {
  if (!Array.isArray(ks)) fail(FN, arg, 'be an array of positive integers', typeof ks);
  return ks.map((k) => checkNumber(FN, arg, k, { min: 1, integer: true }));
}

/**
 * Computes every retrieval metric from one chunked k-NN pass.
 *
 * @example
 * const m = retrievalMetrics({ queries: [[0], [0.1], [5], [5.1]], queryLabels: [0, 0, 1, 1] });
 * m.precisionAt1; // 1
 * m.mapAtR;       // 1
 */
export function retrievalMetrics(options: RetrievalOptions): RetrievalMetrics {
  const queries = toMatrix(FN, options.queries, 'queries');
  const qLabels = labelsToArray(FN, options.queryLabels, queries.rows, 'queryLabels');
  const self = options.reference === undefined;
  if (self && options.referenceLabels !== undefined) fail(FN, 'referenceLabels', 'come with reference', 'no reference');
  const reference = self ? null : toMatrix(FN, options.reference as VectorsLike, 'reference');
  if (!self && options.referenceLabels === undefined)
    fail(FN, 'referenceLabels', 'be given with reference', 'undefined');
  const rLabels = self
    ? qLabels
    : labelsToArray(FN, options.referenceLabels as LabelsLike, reference?.rows, 'referenceLabels');
  const averaging = checkOneOf(FN, 'averaging', options.averaging ?? 'queries', AVERAGINGS);
  const recallKs = checkKs('recallAtK', options.recallAtK ?? [1, 2, 4, 8]);
  const precisionKs = checkKs('precisionAtK', options.precisionAtK ?? [1, 5, 10]);

  const counts = new Map<number, number>();
  for (const l of rLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const R = new Int32Array(queries.rows);
  let maxR = 0;
  let evaluated = 0;
  for (let i = 0; i < queries.rows; i++) {
    R[i] = (counts.get(qLabels[i]) ?? 0) - (self ? 1 : 0);
    if (R[i] > 0) evaluated++;
    maxR = Math.max(maxR, R[i]);
  }
  const available = (reference ?? queries).rows - (self ? 1 : 0);
  const kMax = Math.min(available, Math.max(maxR, ...recallKs, ...precisionKs));
  // Checked here too (forEachKnnChunk checks them again) so that no worker starts for bad options.
  if (options.distance !== undefined) checkOneOf(FN, 'distance', options.distance, KNN_DISTANCES);
  if (options.precision !== undefined) checkOneOf(FN, 'precision', options.precision, KNN_PRECISIONS);
  if (options.chunkBytes !== undefined) checkNumber(FN, 'chunkBytes', options.chunkBytes, { min: 1 });
  const workers =
    options.workers === undefined
      ? undefined
      : checkNumber(FN, 'workers', options.workers, { min: 0, max: 64, integer: true });
  const job: ScoringJob = {
    queries,
    reference,
    queryLabels: qLabels,
    referenceLabels: rLabels,
    R,
    maxR,
    kMax,
    precisionKs,
    recallKs,
    distance: options.distance,
    precision: options.precision,
    chunkBytes: options.chunkBytes,
  };
  const threads = workerCount(workers, queries.rows * (reference ?? queries).rows);
  const shared = sharedColumns(queries.rows, metricColumns(job).length);
  const perQuery = shared.columns;
  if (evaluated > 0 && kMax > 0) {
    if (threads > 0) scoreInThreads(job, shared, threads, FN);
    else scoreQueries(job, perQuery, undefined, FN);
  }
  const avg = (values: Float64Array): number => average(values, R, qLabels, averaging);
  const at = (ks: number[], offset: number): Record<number, number> =>
    Object.fromEntries(ks.map((k, i) => [k, avg(perQuery[offset + i])]));
  return {
    precisionAt1: avg(perQuery[0]),
    rPrecision: avg(perQuery[1]),
    mapAtR: avg(perQuery[2]),
    map: avg(perQuery[3]),
    meanReciprocalRank: avg(perQuery[4]),
    precisionAtK: at(precisionKs, 5),
    recallAtK: at(recallKs, 5 + precisionKs.length),
    queries: evaluated,
    skippedQueries: queries.rows - evaluated,
    k: kMax,
    averaging,
  };
}

function average(values: Float64Array, R: Int32Array, labels: Int32Array, averaging: Averaging): number {
  if (averaging === 'queries') {
    let s = 0;
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      if (R[i] > 0) {
        s += values[i];
        n++;
      }
    }
    return n > 0 ? s / n : NaN;
  }
  const sums = new Map<number, [number, number]>();
  for (let i = 0; i < values.length; i++) {
    if (R[i] <= 0) continue;
    const e = sums.get(labels[i]) ?? [0, 0];
    e[0] += values[i];
    e[1]++;
    sums.set(labels[i], e);
  }
  if (sums.size === 0) return NaN;
  let s = 0;
  for (const [sum, n] of sums.values()) s += sum / n;
  return s / sums.size;
}
