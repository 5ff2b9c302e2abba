import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import type { Resolved } from '../options';
import { BaseMetricLoss, type LossInput, type LossParts } from './base';
import { pairMatrix, pairStats } from './masks';
import { closeness, maskedLogSumExp } from './ops';
import { resolveTemperatureOptions, type TemperatureOptions } from './nt-xent';

class SupConLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<TemperatureOptions>) {
    super('supCon', options.reduction);
    this.distance = options.distance;
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const x = tf.div(closeness(this.distance, mat), this.options.temperature);
    const logProb = tf.sub(x, maskedLogSumExp(x, tf.add(pos, neg), 1));
    const posCount = tf.sum(pos, 1);
    const hasPos = tf.cast(tf.greater(posCount, 0), 'float32');
    const meanLogProbPos = tf.div(tf.sum(tf.mul(logProb, pos), 1), tf.maximum(posCount, 1));
    return {
      groups: [{ values: tf.neg(meanLogProbPos), weights: hasPos }],
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * Supervised contrastive loss (Khosla et al. 2020): per anchor i,
 * -(1/|P(i)|) Σ_p log(e^(S_ip/t) / Σ_(k≠i) e^(S_ik/t)); anchors without positives are no term.
 *
 * @example
 * losses.supCon({ temperature: 0.1 }).compute(embeddings, labels).loss;
 */
export function supCon(options?: TemperatureOptions): BaseMetricLoss {
  const defaults = { temperature: 0.1, distance: distances.cosine(), reduction: 'meanNonZero' } as const;
  return new SupConLoss(resolveTemperatureOptions('supCon', options, defaults));
}
