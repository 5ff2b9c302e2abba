/**
 * Which entries of an [N, M] pair matrix (anchors x candidates) are loss terms: all valid pairs,
 * or the pairs a miner picked (counted with multiplicity). The candidates are the batch itself
 * (M = N, the diagonal excluded) or a reference such as a cross-batch memory (each anchor's own
 * slot excluded). Built in JavaScript, uploaded once.
 */
import * as tf from '../tf';
import type { Distance } from '../distances';
import { isPairIndices, type MinedIndices, type PairIndices, type TripletIndices } from '../types';
import { fillPairWeights, markedGrid } from '../miners/pair-grid';
import type { LossInput } from './base';
import { forEachCandidate, type Candidates } from './reference';

export interface PairMasks {
  /** [N, M] weights of positive pairs (same label, not the anchor itself). */
  pos: tf.Tensor2D;
  /** [N, M] weights of negative pairs (different labels). */
  neg: tf.Tensor2D;
}

type CandidateLabels = Pick<Candidates, 'labels' | 'm' | 'self'>;

/** The batch as its own candidates (each anchor its own self). */
function batchCandidates(labels: Int32Array): CandidateLabels {
  return { labels, m: labels.length, self: Int32Array.from({ length: labels.length }, (_, i) => i) };
}

/**
 * Positive and negative pair masks, from labels or from mined indices.
 *
 * @example
 * const { pos, neg } = pairMasks(Int32Array.from([0, 0, 1])); // [3, 3]: pos [[0,1,0],[1,0,0],[0,0,0]]
 * // [2, 3] against three reference candidates, none of them an anchor: pos [[0,0,1],[1,1,0]]
 * pairMasks(Int32Array.from([0, 1]), { labels: Int32Array.from([1, 1, 0]), m: 3, self: Int32Array.from([-1, -1]) });
 */
export function pairMasks(
  labels: Int32Array,
  ref: CandidateLabels = batchCandidates(labels),
  mined?: MinedIndices,
): PairMasks {
  const { pos, neg } = pairWeights(labels, ref, mined);
  return { pos: tf.tensor2d(pos, [labels.length, ref.m]), neg: tf.tensor2d(neg, [labels.length, ref.m]) };
}

/**
 * The [N, M] weights of `pairMasks` as plain arrays (row-major), for code that works in JavaScript.
 *
 * @example
 * pairWeights(Int32Array.from([0, 0, 1])).pos; // Float32Array [0, 1, 0, 1, 0, 0, 0, 0, 0]
 */
export function pairWeights(
  labels: Int32Array,
  ref: CandidateLabels = batchCandidates(labels),
  mined?: MinedIndices,
  into?: { pos: Float32Array; neg: Float32Array },
): { pos: Float32Array; neg: Float32Array } {
  const n = labels.length;
  const m = ref.m;
  // `into`: zero-filled arrays of n·m to fill instead of new ones (every path relies on the zeros).
  const pos = into?.pos ?? new Float32Array(n * m);
  const neg = into?.neg ?? new Float32Array(n * m);
  const grid = mined && markedGrid(mined);
  if (grid) {
    fillPairWeights(grid, pos, neg); // a miner's grid, checked to be [n, m] by the loss
    return { pos, neg };
  }
  if (mined) {
    const pairs = toPairs(mined);
    for (let k = 0; k < pairs.a1.length; k++) pos[pairs.a1[k] * m + pairs.p[k]] += 1;
    for (let k = 0; k < pairs.a2.length; k++) neg[pairs.a2[k] * m + pairs.n[k]] += 1;
    return { pos, neg };
  }
  // forEachCandidate's rule written out: a million callbacks at N = 1024 cost more than the loop.
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (let j = 0; j < m; j++) {
      if (j === ref.self[i]) continue;
      if (labels[i] === ref.labels[j]) pos[row + j] = 1;
      else neg[row + j] = 1;
    }
  }
  return { pos, neg };
}

/**
 * Mined indices as pairs: triplets give their (a, p) and (a, n) pairs (as pytorch-metric-learning).
 *
 * @example
 * const [a, p, n] = [Int32Array.from([0]), Int32Array.from([1]), Int32Array.from([2])];
 * toPairs({ a, p, n }); // { a1: a, p, a2: a, n }: the pairs (0, 1) and (0, 2)
 */
export function toPairs(mined: MinedIndices): PairIndices {
  if (isPairIndices(mined)) return mined;
  return { a1: mined.a, p: mined.p, a2: mined.a, n: mined.n };
}

/**
 * Mined indices as triplets: pairs give, per anchor, every (its mined positive, its mined negative).
 *
 * @example
 * const pairs = { a1: Int32Array.from([0]), p: Int32Array.from([1]), a2: Int32Array.from([0, 0]), n: Int32Array.from([2, 3]) };
 * toTriplets(pairs); // { a: [0, 0], p: [1, 1], n: [2, 3] }
 */
export function toTriplets(mined: MinedIndices): TripletIndices {
  if (!isPairIndices(mined)) return mined;
  const negsOf = new Map<number, number[]>();
  for (let k = 0; k < mined.a2.length; k++) {
    const list = negsOf.get(mined.a2[k]) ?? [];
    list.push(mined.n[k]);
    negsOf.set(mined.a2[k], list);
  }
  const a: number[] = [];
  const p: number[] = [];
  const n: number[] = [];
  for (let k = 0; k < mined.a1.length; k++) {
    for (const neg of negsOf.get(mined.a1[k]) ?? []) {
      a.push(mined.a1[k]);
      p.push(mined.p[k]);
      n.push(neg);
    }
  }
  return { a: Int32Array.from(a), p: Int32Array.from(p), n: Int32Array.from(n) };
}

/**
 * Positives of each anchor among the candidates, padded to the largest count: candidate index
 * [N, K] and validity [N, K]. Lets batch-all triplet terms be laid out [N, K, M], not [N, M, M].
 *
 * @example
 * positivesByAnchor(Int32Array.from([0, 0, 1])); // { index: [[1],[0],[2]], valid: [[1],[1],[0]], k: 1 }
 */
export function positivesByAnchor(
  labels: Int32Array,
  ref: CandidateLabels = batchCandidates(labels),
): {
  anchor: Int32Array;
  index: Int32Array;
  valid: Float32Array;
  k: number;
} {
  const n = labels.length;
  const lists: number[][] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    const list: number[] = [];
    forEachCandidate(labels, ref, i, (j, positive) => positive && list.push(j));
    lists.push(list);
    k = Math.max(k, list.length);
  }
  const anchor = new Int32Array(n * k);
  const index = new Int32Array(n * k);
  const valid = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      anchor[i * k + s] = i;
      index[i * k + s] = s < lists[i].length ? lists[i][s] : Math.max(ref.self[i], 0);
      valid[i * k + s] = s < lists[i].length ? 1 : 0;
    }
  }
  return { anchor, index, valid, k };
}

/**
 * [N, M] 1 where the anchor's and the candidate's labels differ (the negatives of each anchor).
 *
 * @example
 * negativeMask(Int32Array.from([0, 1])); // [[0, 1], [1, 0]]
 */
export function negativeMask(labels: Int32Array, ref: CandidateLabels = batchCandidates(labels)): tf.Tensor2D {
  const n = labels.length;
  const neg = new Float32Array(n * ref.m);
  for (let i = 0; i < n; i++) for (let j = 0; j < ref.m; j++) neg[i * ref.m + j] = labels[i] !== ref.labels[j] ? 1 : 0;
  return tf.tensor2d(neg, [n, ref.m]);
}

/**
 * The [N, M] distance matrix of anchors against their candidates (the batch or a reference).
 *
 * @example
 * import { resolveCandidates } from './reference';
 * const e = tf.tensor2d([[0, 0], [3, 4]]);
 * const y = Int32Array.from([0, 1]);
 * const ref = resolveCandidates('myLoss', e, y); // no reference: the batch itself
 * candidateDistances(distances.euclidean({ normalize: false }), { embeddings: e, labels: y, n: 2, ref }); // [[0, 5], [5, 0]]
 */
export function candidateDistances(distance: Distance, { embeddings, ref }: LossInput): tf.Tensor2D {
  return ref.isBatch ? distance.pairwise(embeddings) : distance.pairwise(embeddings, ref.embeddings);
}

/**
 * The [N, M] distance matrix of anchors against their candidates, with the positive/negative
 * pair masks (mined pairs if given).
 *
 * @example
 * import { resolveCandidates } from './reference';
 * const e = tf.tensor2d([[0, 0], [3, 4], [0, 1]]);
 * const y = Int32Array.from([0, 1, 0]);
 * const input = { embeddings: e, labels: y, n: 3, ref: resolveCandidates('myLoss', e, y) };
 * const { mat, pos, neg } = pairMatrix(distances.euclidean({ normalize: false }), input); // mat [3, 3]; pos[0][2] = 1
 */
export function pairMatrix(distance: Distance, input: LossInput): PairMasks & { mat: tf.Tensor2D } {
  return { mat: candidateDistances(distance, input), ...pairMasks(input.labels, input.ref, input.mined) };
}

/**
 * The `positive`/`negative` stats entries of LossParts for a pair matrix and its masks.
 *
 * @example
 * const mat = tf.tensor2d([[0, 1], [1, 0]]);
 * const s = pairStats(mat, tf.zeros([2, 2]), tf.sub(1, tf.eye(2)));
 * s.negative.values === mat; // true: LossParts' stats entries share the matrix, with their own weights
 */
export function pairStats(
  mat: tf.Tensor,
  pos: tf.Tensor,
  neg: tf.Tensor,
): { positive: { values: tf.Tensor; weights: tf.Tensor }; negative: { values: tf.Tensor; weights: tf.Tensor } } {
  return { positive: { values: mat, weights: pos }, negative: { values: mat, weights: neg } };
}
