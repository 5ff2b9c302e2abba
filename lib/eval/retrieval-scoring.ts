/**
 * The per-query half of the retrieval metrics: for each query, the relevance of its kMax nearest
 * neighbours and the values every metric averages (P@1, R-precision, MAP@R, mAP, MRR, P@K,
 * Recall@K). Works on plain typed arrays, so a worker thread can run it on its share of the
 * queries (retrieval-threads.ts) and write into the same shared arrays as the main thread.
 *
 * @example
 * const perQuery = metricColumns(job).map(() => new Float64Array(job.queries.rows));
 * scoreQueries(job, perQuery); // perQuery[2][q] = MAP@R of query q
 */
import { type ChunkClaim, type KnnDistance, type KnnPrecision, forEachKnnChunk } from '../search/exact';
import type { Matrix } from '../linalg/matrix';

/** Everything one thread needs to score queries: plain data (a worker gets a copy or a share). */
export interface ScoringJob {
  queries: Matrix;
  /** null: self-retrieval among the queries. */
  reference: Matrix | null;
  queryLabels: Int32Array;
  referenceLabels: Int32Array;
  /** Relevant reference items per query (0: the query is skipped). */
  R: Int32Array;
  maxR: number;
  kMax: number;
  precisionKs: number[];
  recallKs: number[];
  distance?: KnnDistance;
  precision?: KnnPrecision;
  chunkBytes?: number;
}

/**
 * The per-query columns, in order: p1, rp, mapr, map, mrr, then p{K} per precision K, then r{K}
 * per recall K.
 *
 * @example
 * metricColumns({ precisionKs: [1], recallKs: [1, 2] }); // ['p1','rp','mapr','map','mrr','p1','r1','r2']
 */
export function metricColumns(job: Pick<ScoringJob, 'precisionKs' | 'recallKs'>): string[] {
  return [
    'p1',
    'rp',
    'mapr',
    'map',
    'mrr',
    ...job.precisionKs.map((k) => `p${k}`),
    ...job.recallKs.map((k) => `r${k}`),
  ];
}

/**
 * Runs the k-NN pass over the queries `claim` hands out (default: all) and writes each scored
 * query's values into `perQuery` (one array per metric column, indexed by query).
 *
 * @example
 * const perQuery = metricColumns(job).map(() => new Float64Array(job.queries.rows));
 * const counter = new Int32Array(new SharedArrayBuffer(4)); // threads that share it split the queries
 * scoreQueries(job, perQuery, (rows) => Atomics.add(counter, 0, rows)); // claim: the next chunk's first query
 */
export function scoreQueries(
  job: ScoringJob,
  perQuery: Float64Array[],
  claim?: ChunkClaim,
  fn = 'retrievalMetrics',
): void {
  const { R, queryLabels, referenceLabels, maxR, precisionKs, recallKs } = job;
  const relevant = new Uint8Array(Math.max(job.kMax, 1));
  const knnOptions = { k: job.kMax, distance: job.distance, precision: job.precision, chunkBytes: job.chunkBytes };
  forEachKnnChunk(
    job.queries,
    job.reference,
    knnOptions,
    (c) => {
      for (let row = 0; row < c.rows; row++) {
        const q = c.start + row;
        const r = R[q];
        if (r <= 0) continue;
        for (let t = 0; t < c.k; t++)
          relevant[t] = referenceLabels[c.indices[row * c.k + t]] === queryLabels[q] ? 1 : 0;
        scoreQuery(relevant, c.k, r, maxR, precisionKs, recallKs, perQuery, q);
      }
    },
    fn,
    claim,
  );
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
