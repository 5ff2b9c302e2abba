/**
 * k-nearest-neighbour classification accuracy: each query takes the majority label of its k
 * nearest reference items (the product question "does a kNN classifier on this embedding name
 * the class?"). Ties between labels go to the label whose nearest vote is closest, so k = 1 is
 * Precision@1 and the result never depends on label order.
 */
import type { LabelsLike } from '../types';
import { KNN_DISTANCES, knn, type KnnDistance } from '../search/exact';
import { type VectorsLike, toMatrix } from '../linalg/matrix';
import { checkNumber, checkOneOf, fail, labelsToArray } from '../validate';

export interface KnnAccuracyOptions {
  queries: VectorsLike;
  queryLabels: LabelsLike;
  /** Omitted: leave-one-out among the queries (each query's own row excluded). */
  reference?: VectorsLike;
  referenceLabels?: LabelsLike;
  /** Neighbours that vote. Default 5. */
  k?: number;
  /** Default 'euclidean'. */
  distance?: KnnDistance;
}

/**
 * Fraction of queries whose k nearest neighbours' majority label is their own label.
 *
 * @example
 * knnAccuracy({ queries: [[0], [0.1], [0.2], [5], [5.1]], queryLabels: [0, 0, 0, 1, 1], k: 1 }); // 1
 */
export function knnAccuracy(options: KnnAccuracyOptions): number {
  const fn = 'knnAccuracy';
  const queries = toMatrix(fn, options.queries, 'queries');
  const qLabels = labelsToArray(fn, options.queryLabels, queries.rows, 'queryLabels');
  const self = options.reference === undefined;
  if (self && options.referenceLabels !== undefined) fail(fn, 'referenceLabels', 'come with reference', 'no reference');
  if (!self && options.referenceLabels === undefined)
    fail(fn, 'referenceLabels', 'be given with reference', 'undefined');
  const reference = self ? null : toMatrix(fn, options.reference as VectorsLike, 'reference');
  const rLabels = reference
    ? labelsToArray(fn, options.referenceLabels as LabelsLike, reference.rows, 'referenceLabels')
    : qLabels;
  const available = (reference ?? queries).rows - (self ? 1 : 0);
  const k = checkNumber(fn, 'k', options.k ?? 5, { min: 1, integer: true });
  if (k > available) fail(fn, 'k', `be at most the number of reference items (${available})`, k);
  const distance = checkOneOf(fn, 'distance', options.distance ?? 'euclidean', KNN_DISTANCES);
  const { indices } = knn(queries, { k, reference: reference ?? undefined, distance });
  let correct = 0;
  const votes = new Map<number, number>();
  for (let q = 0; q < queries.rows; q++) {
    votes.clear();
    let winner = -1;
    let most = 0;
    // Neighbours come nearest first: a label only takes the lead with strictly more votes, so a
    // tie stays with the label that reached that count first (the one with the nearer votes).
    for (let j = 0; j < k; j++) {
      const label = rLabels[indices[q * k + j]];
      const n = (votes.get(label) ?? 0) + 1;
      votes.set(label, n);
      if (n > most) {
        most = n;
        winner = label;
      }
    }
    if (winner === qLabels[q]) correct++;
  }
  return correct / queries.rows;
}
