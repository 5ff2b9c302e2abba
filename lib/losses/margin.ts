import * as tf from '../tf';
import { distances, type Distance } from '../distances';
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

export class MarginLoss extends BaseMetricLoss {
  /** The boundary β (a variable when learnBeta). */
  readonly beta: tf.Variable;

  constructor(
    private readonly margin: number,
    beta: number,
    private readonly learnBeta: boolean,
    private readonly nu: number,
    private readonly distance: Distance,
  ) {
    super('marginLoss', 'meanNonZero');
    this.beta = tf.variable(tf.scalar(beta), learnBeta);
  }

  override trainableWeights(): tf.Variable[] {
    return this.learnBeta ? [this.beta] : [];
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const posLoss = tf.relu(tf.add(d.margin(mat, this.beta), this.margin));
    const negLoss = tf.relu(tf.add(d.margin(this.beta, mat), this.margin));
    // One group: the sum of both kinds of terms over the number of active ones (Wu et al.).
    const groups = [{ values: tf.stack([posLoss, negLoss]), weights: tf.stack([pos, neg]) }];
    const regularizer = {
      values: tf.reshape(tf.mul(this.beta, this.nu), [1]),
      weights: null,
      reduction: 'sum' as const,
    };
    return {
      groups: this.nu > 0 ? [...groups, regularizer] : groups,
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
export function marginLoss(options: MarginLossOptions = {}): MarginLoss {
  const fn = 'marginLoss';
  const { margin = 0.2, beta = 1.2, learnBeta = true, nu = 0, distance = distances.euclidean() } = options;
  checkNumber(fn, 'margin', margin, { min: 0 });
  checkNumber(fn, 'beta', beta);
  checkNumber(fn, 'nu', nu, { min: 0 });
  return new MarginLoss(margin, beta, learnBeta, nu, distance);
}
