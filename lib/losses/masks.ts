/**
 * Which entries of an [N, N] pair matrix are loss terms: all valid pairs of a batch, or the
 * pairs a miner picked (counted with multiplicity). Built in JavaScript, uploaded once.
 */
import * as tf from '@tensorflow/tfjs';
import type { Distance } from '../distances';
import { isPairIndices, type MinedIndices, type PairIndices, type TripletIndices } from '../types';

export interface PairMasks {
  /** [N, N] weights of positive pairs (same label, i != j). */
  pos: tf.Tensor2D;
  /** [N, N] weights of negative pairs (different labels). */
  neg: tf.Tensor2D;
}

/**
 * Positive and negative pair masks, from labels or from mined indices.
 *
 * @example
 * const { pos, neg } = pairMasks(Int32Array.from([0, 0, 1]));
 */
export function pairMasks(labels: Int32Array, mined?: MinedIndices): PairMasks {
  const n = labels.length;
  const pos = new Float32Array(n * n);
  const neg = new Float32Array(n * n);
  if (mined) {
    const pairs = toPairs(mined);
    for (let k = 0; k < pairs.a1.length; k++) pos[pairs.a1[k] * n + pairs.p[k]] += 1;
    for (let k = 0; k < pairs.a2.length; k++) neg[pairs.a2[k] * n + pairs.n[k]] += 1;
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (labels[i] === labels[j]) pos[i * n + j] = i === j ? 0 : 1;
        else neg[i * n + j] = 1;
      }
    }
  }
  return { pos: tf.tensor2d(pos, [n, n]), neg: tf.tensor2d(neg, [n, n]) };
}

/**
 * Mined indices as pairs: triplets give their (a, p) and (a, n) pairs (as pytorch-metric-learning).
 *
 * @example
 * toPairs({ a, p, n }); // { a1: a, p, a2: a, n }
 */
export function toPairs(mined: MinedIndices): PairIndices {
  if (isPairIndices(mined)) return mined;
  return { a1: mined.a, p: mined.p, a2: mined.a, n: mined.n };
}

/**
 * Mined indices as triplets: pairs give, per anchor, every (its mined positive, its mined negative).
 *
 * @example
 * toTriplets({ a1, p, a2, n }); // { a, p, n }
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
 * Positives of each anchor, padded to the largest count: index [N, K] and validity [N, K].
 * Lets batch-all triplet terms be laid out [N, K, N] instead of [N, N, N].
 *
 * @example
 * positivesByAnchor(Int32Array.from([0, 0, 1])); // { index: [[1],[0],[2]], valid: [[1],[1],[0]], k: 1 }
 */
export function positivesByAnchor(labels: Int32Array): {
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
    for (let j = 0; j < n; j++) if (j !== i && labels[j] === labels[i]) list.push(j);
    lists.push(list);
    k = Math.max(k, list.length);
  }
  const anchor = new Int32Array(n * k);
  const index = new Int32Array(n * k);
  const valid = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      anchor[i * k + s] = i;
      index[i * k + s] = s < lists[i].length ? lists[i][s] : i;
      valid[i * k + s] = s < lists[i].length ? 1 : 0;
    }
  }
  return { anchor, index, valid, k };
}

/**
 * [N, N] 1 where labels differ (the negatives of each anchor).
 *
 * @example
 * negativeMask(Int32Array.from([0, 1])); // [[0, 1], [1, 0]]
 */
export function negativeMask(labels: Int32Array): tf.Tensor2D {
  const n = labels.length;
  const neg = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) neg[i * n + j] = labels[i] !== labels[j] ? 1 : 0;
  return tf.tensor2d(neg, [n, n]);
}

/**
 * The distance matrix of a batch with its positive/negative pair masks (mined pairs if given).
 *
 * @example
 * const { mat, pos, neg } = pairMatrix(distance, input.embeddings, input.labels, input.mined);
 */
export function pairMatrix(
  distance: Distance,
  embeddings: tf.Tensor2D,
  labels: Int32Array,
  mined?: MinedIndices,
): PairMasks & { mat: tf.Tensor2D } {
  return { mat: distance.pairwise(embeddings), ...pairMasks(labels, mined) };
}

/**
 * The `positive`/`negative` stats entries of LossParts for a pair matrix and its masks.
 *
 * @example
 * return { groups, ...pairStats(mat, pos, neg) };
 */
export function pairStats(
  mat: tf.Tensor,
  pos: tf.Tensor,
  neg: tf.Tensor,
): { positive: { values: tf.Tensor; weights: tf.Tensor }; negative: { values: tf.Tensor; weights: tf.Tensor } } {
  return { positive: { values: mat, weights: pos }, negative: { values: mat, weights: neg } };
}
