import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkNumber } from '../validate';
import { BaseMetricLoss, type LossInput, type LossParts, type LossReduction } from './base';
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

class MultiSimilarityLoss extends BaseMetricLoss {
  constructor(
    private readonly alpha: number,
    private readonly beta: number,
    private readonly base: number,
    private readonly distance: Distance,
    reduction: LossReduction,
  ) {
    super('multiSimilarity', reduction);
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const posExp = tf.mul(d.margin(mat, tf.scalar(this.base)), this.alpha);
    const negExp = tf.mul(d.margin(tf.scalar(this.base), mat), this.beta);
    const posLoss = tf.div(maskedLogSumExp(posExp, pos, 1, true), this.alpha);
    const negLoss = tf.div(maskedLogSumExp(negExp, neg, 1, true), this.beta);
    return {
      groups: [{ values: tf.reshape(tf.add(posLoss, negLoss), [-1]), weights: null }],
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * Multi-similarity loss (Wang et al. 2019) on all pairs (or mined pairs): per anchor
 * (1/α) log(1 + Σ_pos exp(-α(S - base))) + (1/β) log(1 + Σ_neg exp(β(S - base))), mean over anchors.
 *
 * @example
 * const loss = losses.multiSimilarity({ alpha: 2, beta: 50, base: 0.5 });
 * loss.compute(embeddings, labels, miners.multiSimilarity({ epsilon: 0.1 }).mine(embeddings, labels));
 */
export function multiSimilarity(options: MultiSimilarityOptions = {}): BaseMetricLoss {
  const fn = 'multiSimilarity';
  const { alpha = 2, beta = 50, base = 0.5, distance = distances.cosine(), reduction = 'mean' } = options;
  checkNumber(fn, 'alpha', alpha, { min: 0, minExclusive: true });
  checkNumber(fn, 'beta', beta, { min: 0, minExclusive: true });
  checkNumber(fn, 'base', base);
  return new MultiSimilarityLoss(alpha, beta, base, distance, reduction);
}
