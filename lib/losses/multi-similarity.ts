import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
import { divideNonZero, divisor, fusable, fusedPairLoss, fusedPairWeights, type PassResult } from './fused-pairs';
import { pairMatrix, pairStats } from './masks';
import { maskedLogSumExp } from './ops';

export interface MultiSimilarityOptions {
  /** Weight of positive pairs (default 2). */
  alpha?: number;
  /** Weight of negative pairs (default 50). */
  beta?: number;
  /** The similarity offset (default 0.5). */
  base?: number;
  /** Default cosine similarity. */
  distance?: Distance;
  /** Over anchors (default mean). */
  reduction?: LossReduction;
}

/** The kind of each option, for the option check and the command line. */
export const MULTI_SIMILARITY_OPTIONS: OptionKinds<MultiSimilarityOptions> = {
  alpha: 'number',
  beta: 'number',
  base: 'number',
  distance: 'object',
  reduction: LOSS_REDUCTIONS,
};

class MultiSimilarityLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<MultiSimilarityOptions>) {
    super('multiSimilarity', options.reduction);
    this.distance = options.distance;
  }

  protected computeLoss(input: LossInput): LossParts {
    if (fusable(this.distance, input)) {
      const { pos, neg } = fusedPairWeights(input);
      return fusedPairLoss(this.distance, input, (d, n, grad) => this.pass(d, n, grad, pos, neg));
    }
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const posExp = tf.mul(d.margin(mat, tf.scalar(this.options.base)), this.options.alpha);
    const negExp = tf.mul(d.margin(tf.scalar(this.options.base), mat), this.options.beta);
    const posLoss = tf.div(maskedLogSumExp(posExp, pos, 1, true), this.options.alpha);
    const negLoss = tf.div(maskedLogSumExp(negExp, neg, 1, true), this.options.beta);
    return {
      groups: [{ values: tf.reshape(tf.add(posLoss, negLoss), [-1]), weights: null }],
      ...pairStats(mat, pos, neg),
    };
  }

  /**
   * computeLoss as one pass over the distances (fused-pairs.ts). Per anchor and kind,
   * (1/c) log(1 + Σ exp(z)) with z = c·margin, computed from the largest of z and 0 as
   * maskedLogSumExp does; its gradient towards z is each term's share, exp(z) / (1 + Σ exp(z)).
   */
  private pass(d: Float32Array, n: number, grad: Float32Array, pos: Float32Array, neg: Float32Array): PassResult {
    const { alpha, beta, base } = this.options;
    const sign = this.distance.isInverted ? -1 : 1; // margin(x, y) = sign (x - y)
    const perAnchor = new Float64Array(n);
    const buffers = { index: new Int32Array(n), value: new Float64Array(n) };
    const positives = { ...buffers, sum: 0, count: 0 };
    const negatives = { ...buffers, sum: 0, count: 0 };
    let active = 0;
    for (let i = 0; i < n; i++) {
      perAnchor[i] += addKind(d, n, i, pos, grad, alpha, alpha * sign, base, positives);
      perAnchor[i] += addKind(d, n, i, neg, grad, beta, -beta * sign, base, negatives);
      if (perAnchor[i] > 0) active++;
    }
    const div = divisor(this.reduction, n, active);
    let total = 0;
    for (let i = 0; i < n; i++) total += perAnchor[i];
    divideNonZero(grad, n * n, div);
    return {
      loss: total / div,
      terms: n,
      active,
      positiveSum: positives.sum,
      positiveCount: positives.count,
      negativeSum: negatives.sum,
      negativeCount: negatives.count,
    };
  }
}

/**
 * One kind of pairs of anchor i for the fused pass: with z_j = scale·(d_ij - base) over the pairs
 * of `weights` (positives: α·sign, negatives: -β·sign), returns (1/c) log(1 + Σ exp(z)) computed
 * from max(z, 0) as maskedLogSumExp does, and writes each pair's dL/dd = (scale / c)·exp(z_j) /
 * (1 + Σ exp(z)) into `grad`. `work` holds the row's members and their exp(z) (one exp per pair),
 * and adds up Σ d·w and Σ w for the stats.
 */
function addKind(
  d: Float32Array,
  n: number,
  i: number,
  weights: Float32Array,
  grad: Float32Array,
  c: number,
  scale: number,
  base: number,
  work: { index: Int32Array; value: Float64Array; sum: number; count: number },
): number {
  const { index, value } = work;
  const row = i * n;
  let count = 0;
  let top = 0; // max(z..., 0): the "1 +" is exp(0)
  let [distanceSum, weightSum] = [0, 0];
  for (let j = 0; j < n; j++) {
    if (weights[row + j] > 0) {
      // The stats count each pair with its weight, as pairStats does (the loss counts it once).
      distanceSum += d[row + j] * weights[row + j];
      weightSum += weights[row + j];
      const z = scale * (d[row + j] - base);
      index[count] = j;
      value[count++] = z;
      if (z > top) top = z;
    }
  }
  let sum = Math.exp(-top);
  for (let t = 0; t < count; t++) {
    value[t] = Math.exp(value[t] - top);
    sum += value[t];
  }
  work.sum += distanceSum;
  work.count += weightSum;
  const share = scale / c / sum;
  for (let t = 0; t < count; t++) grad[row + index[t]] = share * value[t];
  return (top + Math.log(sum)) / c;
}

/**
 * Multi-similarity loss (Wang et al. 2019) on all pairs (or mined pairs): per anchor
 * (1/α) log(1 + Σ_pos exp(-α(S - base))) + (1/β) log(1 + Σ_neg exp(β(S - base))), mean over anchors.
 *
 * @example
 * const loss = losses.multiSimilarity({ alpha: 2, beta: 50, base: 0.5 });
 * loss.compute(embeddings, labels, miners.multiSimilarity({ epsilon: 0.1 }).mine(embeddings, labels));
 */
export function multiSimilarity(options?: MultiSimilarityOptions): BaseMetricLoss {
  const fn = 'multiSimilarity';
  checkOptions(fn, options, MULTI_SIMILARITY_OPTIONS);
  const o = withDefaults<MultiSimilarityOptions>(
    { alpha: 2, beta: 50, base: 0.5, distance: distances.cosine(), reduction: 'mean' },
    options,
  );
  checkNumber(fn, 'alpha', o.alpha, { min: 0, minExclusive: true });
  checkNumber(fn, 'beta', o.beta, { min: 0, minExclusive: true });
  checkNumber(fn, 'base', o.base);
  return new MultiSimilarityLoss(o);
}
