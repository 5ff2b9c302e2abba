/**
 * Do two distances rank neighbours the same way? On unit vectors ||a - b||² = 2 - 2 cos(a, b) =
 * 2 - 2 a·b, so euclidean, cosine and dot give the same neighbour lists; on raw vectors they need
 * not. This compares the k-NN lists of every query under two distances, item by item.
 */
import { checkOneOf, fail } from '../validate';
import { KNN_DISTANCES, KNN_PRECISIONS, type KnnDistance, type KnnPrecision, knn } from '../search/exact';
import { type VectorsLike, toMatrix } from '../linalg/matrix';

export interface RankingAgreementOptions {
  /** The two distances compared. */
  distances: [KnnDistance, KnnDistance];
  /** Length of the neighbour lists compared. */
  k: number;
  /** Default 'float64' (exact loops; float32 matmul rounding can swap near-ties). */
  precision?: KnnPrecision;
}

export interface RankingAgreement {
  /** Fraction of queries whose k-NN lists are identical, order included. */
  identicalLists: number;
  /** Fraction of queries with the same nearest neighbour. */
  sameNearest: number;
  /** Mean fraction of the k neighbours the two lists share (order ignored). */
  meanOverlap: number;
  queries: number;
  k: number;
}

/**
 * Compares the leave-one-out k-NN lists of every row under two distances.
 *
 * @example
 * const unit = [[1, 0], [0.6, 0.8], [0, 1]];
 * rankingAgreement(unit, { distances: ['euclidean', 'dot'], k: 2 }).identicalLists; // 1
 * rankingAgreement([[1, 0], [3, 3], [0, 1]], { distances: ['euclidean', 'dot'], k: 1 }).sameNearest; // 1/3
 */
export function rankingAgreement(vectors: VectorsLike, options: RankingAgreementOptions): RankingAgreement {
  const fn = 'rankingAgreement';
  const m = toMatrix(fn, vectors);
  if (!Array.isArray(options?.distances) || options.distances.length !== 2)
    fail(fn, 'distances', 'be a pair of distance names', options?.distances);
  const [a, b] = options.distances.map((d) => checkOneOf(fn, 'distances', d, KNN_DISTANCES));
  const precision = checkOneOf(fn, 'precision', options.precision ?? 'float64', KNN_PRECISIONS);
  const k = options.k;
  if (!Number.isInteger(k) || k < 1 || k > m.rows - 1) fail(fn, 'k', `be an integer in [1, ${m.rows - 1}]`, k);
  const listA = knn(m, { k, distance: a, precision }).indices;
  const listB = knn(m, { k, distance: b, precision }).indices;
  let identical = 0;
  let nearest = 0;
  let overlap = 0;
  for (let q = 0; q < m.rows; q++) {
    const ra = listA.subarray(q * k, (q + 1) * k);
    const rb = listB.subarray(q * k, (q + 1) * k);
    if (ra.every((v, i) => v === rb[i])) identical++;
    if (ra[0] === rb[0]) nearest++;
    const inA = new Set(ra);
    overlap += rb.filter((v) => inA.has(v)).length / k;
  }
  return {
    identicalLists: identical / m.rows,
    sameNearest: nearest / m.rows,
    meanOverlap: overlap / m.rows,
    queries: m.rows,
    k,
  };
}
