import * as tf from '../tf';
import { distances } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
import { pairMatrix, pairStats } from './masks';
import { maskedLogSumExp, stopGradient } from './ops';

export interface CircleOptions {
  /** Relaxation margin m (default 0.25). */
  m?: number;
  /** Scale γ (default 256). */
  gamma?: number;
  /** Over anchors (default meanNonZero). */
  reduction?: LossReduction;
}

/** The kind of each option, for the option check and the command line. */
export const CIRCLE_OPTIONS: OptionKinds<CircleOptions> = { m: 'number', gamma: 'number', reduction: LOSS_REDUCTIONS };

class CircleLoss extends BaseMetricLoss {
  private readonly distance = distances.cosine();

  constructor(readonly options: Resolved<CircleOptions>) {
    super('circle', options.reduction);
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const m = this.options.m;
    // The weights α_p, α_n are constants in the paper's gradient analysis: no gradient through them.
    const alphaP = stopGradient(mat, (s) => tf.relu(tf.sub(1 + m, s)));
    const alphaN = stopGradient(mat, (s) => tf.relu(tf.add(s, m)));
    const logitP = tf.mul(tf.mul(alphaP, tf.sub(mat, 1 - m)), -this.options.gamma);
    const logitN = tf.mul(tf.mul(alphaN, tf.sub(mat, m)), this.options.gamma);
    const lse = tf.add(maskedLogSumExp(logitN, neg, 1), maskedLogSumExp(logitP, pos, 1));
    // An anchor without a positive or without a negative has no circle term.
    const hasBoth = tf.logicalAnd(tf.greater(tf.sum(pos, 1, true), 0), tf.greater(tf.sum(neg, 1, true), 0));
    const values = tf.where(hasBoth, tf.softplus(lse), tf.zerosLike(lse));
    return {
      groups: [{ values: tf.reshape(values, [-1]), weights: null }],
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * Circle loss (Sun et al. 2020), pair-based, on cosine similarity: per anchor
 * softplus(logsumexp_n γ α_n (S_n - m) + logsumexp_p -γ α_p (S_p - 1 + m)).
 *
 * @example
 * losses.circle({ m: 0.4, gamma: 80 }).compute(embeddings, labels).loss;
 */
export function circle(options?: CircleOptions): BaseMetricLoss {
  const fn = 'circle';
  checkOptions(fn, options, CIRCLE_OPTIONS);
  const o = withDefaults<CircleOptions>({ m: 0.25, gamma: 256, reduction: 'meanNonZero' }, options);
  checkNumber(fn, 'm', o.m, { min: 0, max: 1 });
  checkNumber(fn, 'gamma', o.gamma, { min: 0, minExclusive: true });
  return new CircleLoss(o);
}
