import { distances, type Distance } from '../distances';
import { checkNumber, checkOneOf } from '../validate';
import { BaseMetricLoss, type LossInput, type LossParts, type LossReduction } from './base';
import { pairMatrix, pairStats } from './masks';
import * as tf from '../tf';

export interface ContrastiveOptions {
  /** Positive pairs cost relu(d - posMargin) (default 0). */
  posMargin?: number;
  /** Negative pairs cost relu(negMargin - d) (default 1). */
  negMargin?: number;
  /** Default: euclidean (not squared) on normalized embeddings, as pytorch-metric-learning. */
  distance?: Distance;
  /** Applied to positive and negative terms separately, then summed (default meanNonZero). */
  reduction?: LossReduction;
  /** 'hinge' (pytorch-metric-learning) or 'squared': ½ relu(.)², Hadsell et al. 2006 (default 'hinge'). */
  form?: 'hinge' | 'squared';
}

class ContrastiveLoss extends BaseMetricLoss {
  constructor(
    private readonly posMargin: number,
    private readonly negMargin: number,
    private readonly distance: Distance,
    private readonly form: 'hinge' | 'squared',
    reduction: LossReduction,
  ) {
    super('contrastive', reduction);
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const shape = (v: tf.Tensor): tf.Tensor =>
      this.form === 'hinge' ? tf.relu(v) : tf.mul(tf.square(tf.relu(v)), 0.5);
    const posLoss = shape(d.margin(mat, tf.scalar(this.posMargin)));
    const negLoss = shape(d.margin(tf.scalar(this.negMargin), mat));
    return {
      groups: [
        { values: posLoss, weights: pos },
        { values: negLoss, weights: neg },
      ],
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * Contrastive loss over every positive and negative pair of the batch (or the mined pairs).
 * Positive and negative terms are reduced separately and summed, as pytorch-metric-learning does.
 *
 * @example
 * const loss = losses.contrastive({ posMargin: 0, negMargin: 1 });
 * const { loss: value, stats } = loss.compute(embeddings, labels);
 * // Hadsell et al. 2006: ½ d² for positives, ½ relu(m - d)² for negatives
 * losses.contrastive({ form: 'squared', negMargin: 1 });
 */
export function contrastive(options: ContrastiveOptions = {}): BaseMetricLoss {
  const fn = 'contrastive';
  const { posMargin = 0, negMargin = 1, distance = distances.euclidean(), reduction = 'meanNonZero' } = options;
  checkNumber(fn, 'posMargin', posMargin);
  checkNumber(fn, 'negMargin', negMargin);
  const form = checkOneOf(fn, 'form', options.form ?? 'hinge', ['hinge', 'squared'] as const);
  return new ContrastiveLoss(posMargin, negMargin, distance, form, reduction);
}
