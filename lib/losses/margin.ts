import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { BaseMetricLoss, type LossInput, type LossParts } from './base';
import { pairMatrix, pairStats } from './masks';

export interface MarginLossOptions {
  /** α, the margin around the boundary (default 0.2). */
  margin?: number;
  /** β, the initial boundary between positive and negative distances (default 1.2). */
  beta?: number;
  /** Learn β as a tf.Variable (default true, as in the paper). */
  learnBeta?: boolean;
  /** Weight ν of the β regularizer ν·β (default 0). */
  nu?: number;
  /** Default euclidean (not squared) on normalized embeddings. */
  distance?: Distance;
}

/** The kind of each option, for the option check and the command line. */
export const MARGIN_LOSS_OPTIONS: OptionKinds<MarginLossOptions> = {
  margin: 'number',
  beta: 'number',
  learnBeta: 'boolean',
  nu: 'number',
  distance: 'object',
};

export class MarginLoss extends BaseMetricLoss {
  /** The boundary β (a variable when learnBeta), starting at options.beta. */
  readonly beta: tf.Variable;
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<MarginLossOptions>) {
    super('marginLoss', 'meanNonZero');
    this.distance = options.distance;
    this.beta = tf.tidy(() => tf.variable(tf.scalar(options.beta), options.learnBeta));
  }

  override trainableWeights(): tf.Variable[] {
    return this.options.learnBeta ? [this.beta] : [];
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const posLoss = tf.relu(tf.add(d.margin(mat, this.beta), this.options.margin));
    const negLoss = tf.relu(tf.add(d.margin(this.beta, mat), this.options.margin));
    // One group: the sum of both kinds of terms over the number of active ones (Wu et al.).
    const groups = [{ values: tf.stack([posLoss, negLoss]), weights: tf.stack([pos, neg]) }];
    const regularizer = {
      values: tf.reshape(tf.mul(this.beta, this.options.nu), [1]),
      weights: null,
      reduction: 'sum' as const,
    };
    return {
      groups: this.options.nu > 0 ? [...groups, regularizer] : groups,
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * Margin loss (Wu et al. 2017, "Sampling matters"): relu(α + d_ap - β) for positive pairs,
 * relu(α + β - d_an) for negative pairs, summed over the active terms' count; β learnable.
 * Pair it with `miners.distanceWeighted()` as the paper does.
 *
 * @example
 * const loss = losses.marginLoss({ margin: 0.2, beta: 1.2 });
 * optimizer.minimize(() => loss.compute(model.predict(x) as tf.Tensor2D, labels).loss); // all trainable variables: the model's and beta
 */
export function marginLoss(options?: MarginLossOptions): MarginLoss {
  const fn = 'marginLoss';
  checkOptions(fn, options, MARGIN_LOSS_OPTIONS);
  const o = withDefaults<MarginLossOptions>(
    { margin: 0.2, beta: 1.2, learnBeta: true, nu: 0, distance: distances.euclidean() },
    options,
  );
  checkNumber(fn, 'margin', o.margin, { min: 0 });
  checkNumber(fn, 'beta', o.beta);
  checkNumber(fn, 'nu', o.nu, { min: 0 });
  return new MarginLoss(o);
}
