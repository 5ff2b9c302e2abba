import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkNumber } from '../validate';
import { BaseMetricLoss, type LossInput, type LossParts, type LossReduction } from './base';
import { pairMatrix, pairStats } from './masks';
import { maskedLogSumExp } from './ops';

export interface LiftedStructureOptions {
  /** Default 0. */
  posMargin?: number;
  /** Default 1. */
  negMargin?: number;
  /** Default euclidean (not squared) on normalized embeddings. */
  distance?: Distance;
  /** Over anchors (default mean). */
  reduction?: LossReduction;
}

class LiftedStructureLoss extends BaseMetricLoss {
  constructor(
    private readonly posMargin: number,
    private readonly negMargin: number,
    private readonly distance: Distance,
    reduction: LossReduction,
  ) {
    super('liftedStructure', reduction);
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const posPart = maskedLogSumExp(d.margin(mat, tf.scalar(this.posMargin)), pos, 1);
    const negPart = maskedLogSumExp(d.margin(tf.scalar(this.negMargin), mat), neg, 1);
    return {
      groups: [{ values: tf.reshape(tf.relu(tf.add(posPart, negPart)), [-1]), weights: null }],
      ...pairStats(mat, pos, neg),
    };
  }
}

/**
 * Generalized lifted structure loss (Hermans et al. 2017): per anchor
 * relu(log Σ_pos exp(d_ap - posMargin) + log Σ_neg exp(negMargin - d_an)); an empty sum adds 0.
 *
 * @example
 * losses.liftedStructure({ negMargin: 1 }).compute(embeddings, labels).loss;
 */
export function liftedStructure(options: LiftedStructureOptions = {}): BaseMetricLoss {
  const fn = 'liftedStructure';
  const { posMargin = 0, negMargin = 1, distance = distances.euclidean(), reduction = 'mean' } = options;
  checkNumber(fn, 'posMargin', posMargin);
  checkNumber(fn, 'negMargin', negMargin);
  return new LiftedStructureLoss(posMargin, negMargin, distance, reduction);
}
