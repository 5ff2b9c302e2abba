import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
import { pairMatrix, pairStats } from './masks';
import { closeness, stopGradient, VERY_NEGATIVE } from './ops';

export interface TemperatureOptions {
  /** Softmax temperature (default 0.07 for ntXent, 0.1 for supCon, as pytorch-metric-learning). */
  temperature?: number;
  /** Default cosine similarity. */
  distance?: Distance;
  reduction?: LossReduction;
}

/** The kind of each option, for the option check and the command line. */
export const TEMPERATURE_OPTIONS: OptionKinds<TemperatureOptions> = {
  temperature: 'number',
  distance: 'object',
  reduction: LOSS_REDUCTIONS,
};

/** Checks the options of ntXent or supCon against their defaults. */
export function resolveTemperatureOptions(
  fn: string,
  options: TemperatureOptions | undefined,
  defaults: Resolved<TemperatureOptions>,
): Resolved<TemperatureOptions> {
  checkOptions(fn, options, TEMPERATURE_OPTIONS);
  const o = withDefaults<TemperatureOptions>(defaults, options);
  checkNumber(fn, 'temperature', o.temperature, { min: 0, minExclusive: true });
  return o;
}

class NTXentLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<TemperatureOptions>) {
    super('ntXent', options.reduction);
    this.distance = options.distance;
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const x = tf.div(closeness(this.distance, mat), this.options.temperature);
    // Per pair (a, p): -log(e^x_ap / (e^x_ap + Σ_neg e^x_an)), shifted by max(x_ap, max_neg x_an).
    const isNeg = tf.greater(neg, 0);
    const maxOverNeg = (v: tf.Tensor): tf.Tensor =>
      tf.max(tf.where(isNeg, v, tf.fill(v.shape, VERY_NEGATIVE)), 1, true);
    const maxNeg = stopGradient(x, maxOverNeg);
    const shift = stopGradient(x, (v) => tf.maximum(v, maxOverNeg(v)));
    const shifted = tf.where(isNeg, tf.sub(x, maxNeg), tf.fill(x.shape, VERY_NEGATIVE));
    const negSum = tf.sum(tf.mul(tf.exp(shifted), neg), 1, true);
    // Σ_neg e^(x_an - shift_ap) = e^(maxNeg - shift_ap) Σ_neg e^(x_an - maxNeg)
    const denominator = tf.add(tf.exp(tf.sub(x, shift)), tf.mul(tf.exp(tf.sub(maxNeg, shift)), negSum));
    const values = tf.neg(tf.sub(tf.sub(x, shift), tf.log(denominator)));
    return {
      groups: [{ values, weights: pos }],
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * NT-Xent / InfoNCE with labels (supervised pairs): each positive pair (a, p) against a's negatives,
 * -log(e^(S_ap/t) / (e^(S_ap/t) + Σ_n e^(S_an/t))), mean over positive pairs.
 *
 * @example
 * losses.ntXent({ temperature: 0.1 }).compute(embeddings, labels).loss;
 */
export function ntXent(options?: TemperatureOptions): BaseMetricLoss {
  const defaults = { temperature: 0.07, distance: distances.cosine(), reduction: 'mean' } as const;
  return new NTXentLoss(resolveTemperatureOptions('ntXent', options, defaults));
}
