/**
 * The contracts shared across areas (see DESIGN.md). Each area implements these; the training
 * loop, the notebooks and the parity checker only rely on what is written here.
 */
import type * as tf from './tf';

/** Labels: an int32 tensor [N], or plain integers. */
export type LabelsLike = tf.Tensor1D | ArrayLike<number>;

/** Triplets mined from a batch: anchor, positive, negative indices of equal length. */
export interface TripletIndices {
  a: Int32Array;
  p: Int32Array;
  n: Int32Array;
}

/** Pairs mined from a batch: positive pairs (a1, p) and negative pairs (a2, n). */
export interface PairIndices {
  a1: Int32Array;
  p: Int32Array;
  a2: Int32Array;
  n: Int32Array;
}

export type MinedIndices = TripletIndices | PairIndices;

export function isTripletIndices(m: MinedIndices): m is TripletIndices {
  return 'a' in m && 'n' in m && !('a1' in m);
}

export function isPairIndices(m: MinedIndices): m is PairIndices {
  return 'a1' in m && 'a2' in m;
}

/** Plain-number statistics a loss reports about one batch, for plots and history. */
export interface LossStats {
  /** Number of loss terms (triplets, pairs, anchors...). */
  terms: number;
  /** Terms with a non-zero loss. */
  activeTerms: number;
  /** activeTerms / terms (0 when there are no terms). */
  fractionActive: number;
  /** Mean distance (or similarity) over the positive pairs that entered the loss; NaN if none. */
  meanPositiveDistance: number;
  /** Mean distance (or similarity) over the negative pairs that entered the loss; NaN if none. */
  meanNegativeDistance: number;
}

export interface LossResult {
  loss: tf.Scalar;
  stats: LossStats;
}

/**
 * A metric-learning loss. `compute` is called inside the caller's tf.tidy / optimizer.minimize;
 * the returned scalar stays connected to the graph; stats are plain numbers.
 */
export interface MetricLoss {
  readonly name: string;
  compute(embeddings: tf.Tensor2D, labels: LabelsLike, mined?: MinedIndices): LossResult;
  /** Weights the loss owns (proxies, class centres, learnable beta); empty for most losses. */
  trainableWeights(): tf.Variable[];
}

/** Plain-number statistics a miner reports about one batch. */
export interface MinerStats {
  /** How many tuples were mined. */
  mined: number;
  /** Of how many candidate tuples (valid triplets or pairs in the batch). */
  candidates: number;
}

export type MinerResult = (TripletIndices | PairIndices) & { stats: MinerStats };

/** A miner picks informative tuples from a batch; it returns indices and never gradients. */
export interface Miner {
  readonly name: string;
  mine(embeddings: tf.Tensor2D, labels: LabelsLike): MinerResult;
}

/** An image dataset held in memory. */
export interface ImageDataset {
  /** Images in [0,1], [N, 28, 28, 1]. */
  images: tf.Tensor4D;
  /** Integer labels, length N. */
  labels: Int32Array;
  classNames: string[];
  /** Dataset name, e.g. 'mnist' or 'fashion-mnist'. */
  name: string;
  /** Where the files came from (a directory path), for reports. */
  source: string;
}
