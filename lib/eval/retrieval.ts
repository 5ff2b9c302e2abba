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
 * 70,000 queries never hold 70,000 x kMax indices at once.
 */
import type { LabelsLike } from '../types';
import { checkNumber, checkOneOf, fail, labelsToArray } from '../validate';
import { type KnnDistance, type KnnPrecision, forEachKnnChunk } from '../search/exact';
import { type VectorsLike, toMatrix } from '../search/matrix';

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
  const names = ['p1', 'rp', 'mapr', 'map', 'mrr', ...precisionKs.map((k) => `p${k}`), ...recallKs.map((k) => `r${k}`)];
  const perQuery = names.map(() => new Float64Array(queries.rows));
  const relevant = new Uint8Array(Math.max(kMax, 1));

  if (evaluated > 0 && kMax > 0) {
    const knnOptions = {
      k: kMax,
      distance: options.distance,
      precision: options.precision,
      chunkBytes: options.chunkBytes,
    };
    forEachKnnChunk(
      queries,
      reference,
      knnOptions,
      (c) => {
        for (let row = 0; row < c.rows; row++) {
          const q = c.start + row;
          const r = R[q];
          if (r <= 0) continue;
          for (let t = 0; t < c.k; t++) relevant[t] = rLabels[c.indices[row * c.k + t]] === qLabels[q] ? 1 : 0;
          scoreQuery(relevant, c.k, r, maxR, precisionKs, recallKs, perQuery, q);
        }
      },
      FN,
    );
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

/** Per-query values from the relevance of the k nearest (rel[0] = nearest). */
function scoreQuery(
  rel: Uint8Array,
  k: number,
  R: number,
  maxR: number,
  precisionKs: number[],
  recallKs: number[],
  out: Float64Array[],
  q: number,
): void {
  let hits = 0;
  let apR = 0;
  let ap = 0;
  let hitsAtR = 0;
  let firstHit = 0;
  const apDepth = Math.min(k, maxR);
  for (let i = 0; i < k; i++) {
    if (!rel[i]) continue;
    hits++;
    if (firstHit === 0) firstHit = i + 1;
    const precision = hits / (i + 1);
    if (i < R) {
      apR += precision;
      hitsAtR++;
    }
    if (i < apDepth) ap += precision;
  }
  out[0][q] = rel[0];
  out[1][q] = hitsAtR / R;
  out[2][q] = apR / R;
  out[3][q] = ap / R;
  out[4][q] = firstHit > 0 && firstHit <= apDepth ? 1 / firstHit : 0;
  let col = 5;
  for (const K of precisionKs) {
    let h = 0;
    for (let i = 0; i < Math.min(K, k); i++) h += rel[i];
    out[col++][q] = h / K;
  }
  for (const K of recallKs) {
    let any = 0;
    for (let i = 0; i < Math.min(K, k) && !any; i++) any = rel[i];
    out[col++][q] = any;
  }
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
