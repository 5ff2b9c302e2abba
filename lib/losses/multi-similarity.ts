import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
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
