/** The miner tests' hand-checkable batch: points on a line, raw euclidean distance. */
import * as tf from '../../lib/tf';
import { distances } from '../../lib/distances';
import { isTripletIndices, type MinerResult } from '../../lib/types';

/** Class 0 at 0 and 1, class 1 at 1.5 and 5. */
export const line = (): tf.Tensor2D => tf.tensor2d([[0], [1], [1.5], [5]]);
export const labels = [0, 0, 1, 1];
export const raw = distances.euclidean({ normalize: false });

/** Mined triplets as sorted 'a,p,n' strings. */
export const triplets = (m: MinerResult): string[] => {
  if (!isTripletIndices(m)) throw new Error('triplets expected');
  return Array.from(m.a, (a, k) => `${a},${m.p[k]},${m.n[k]}`).sort();
};
