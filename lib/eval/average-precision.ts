/**
 * Mean average precision over the whole ranking (the information-retrieval mAP, as
 * sklearn's average_precision_score per query): every same-class item counts, however far down
 * it is ranked. retrievalMetrics' `map` follows pytorch-metric-learning and stops at the largest
 * R, so with equal class sizes it equals MAP@R; this one does not stop.
 */
import type { LabelsLike } from '../types';
import { KNN_DISTANCES, knn, type KnnDistance } from '../search/exact';
import { type VectorsLike, toMatrix } from '../linalg/matrix';
import { checkOneOf, fail, labelsToArray } from '../validate';

export interface FullRankingMapOptions {
  /** Leave-one-out: each query ranks all the other queries. */
  queries: VectorsLike;
  queryLabels: LabelsLike;
  /** Default 'euclidean'. */
  distance?: KnnDistance;
}

/**
 * Mean over queries (those with at least one same-class item) of the average precision of the
 * full ranking of the other items.
 *
 * @example
 * fullRankingMap({ queries: [[0], [1], [2], [3]], queryLabels: [0, 1, 0, 1] }); // 0.5
 */
export function fullRankingMap(options: FullRankingMapOptions): number {
  const fn = 'fullRankingMap';
  const queries = toMatrix(fn, options.queries, 'queries');
  const y = labelsToArray(fn, options.queryLabels, queries.rows, 'queryLabels');
  if (queries.rows < 2) fail(fn, 'queries', 'have at least 2 rows', queries.rows);
  const distance = checkOneOf(fn, 'distance', options.distance ?? 'euclidean', KNN_DISTANCES);
  const counts = new Map<number, number>();
  for (const l of y) counts.set(l, (counts.get(l) ?? 0) + 1);
  const k = queries.rows - 1;
  const { indices } = knn(queries, { k, distance });
  let sum = 0;
  let evaluated = 0;
  for (let q = 0; q < queries.rows; q++) {
    const relevant = (counts.get(y[q]) ?? 0) - 1;
    if (relevant === 0) continue;
    let hits = 0;
    let ap = 0;
    for (let i = 0; i < k && hits < relevant; i++) {
      if (y[indices[q * k + i]] !== y[q]) continue;
      hits++;
      ap += hits / (i + 1);
    }
    sum += ap / relevant;
    evaluated++;
  }
  if (evaluated === 0) fail(fn, 'queryLabels', 'have a class with at least 2 items', 'all classes single');
  return sum / evaluated;
}
