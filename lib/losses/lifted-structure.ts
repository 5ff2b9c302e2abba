import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
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

/** The kind of each option, for the option check and the command line. */
export const LIFTED_STRUCTURE_OPTIONS: OptionKinds<LiftedStructureOptions> = {
  posMargin: 'number',
  negMargin: 'number',
  distance: 'object',
  reduction: LOSS_REDUCTIONS,
};

class LiftedStructureLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<LiftedStructureOptions>) {
    super('liftedStructure', options.reduction);
    this.distance = options.distance;
  }

  protected computeLoss(input: LossInput): LossParts {
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const posPart = maskedLogSumExp(d.margin(mat, tf.scalar(this.options.posMargin)), pos, 1);
    const negPart = maskedLogSumExp(d.margin(tf.scalar(this.options.negMargin), mat), neg, 1);
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
export function liftedStructure(options?: LiftedStructureOptions): BaseMetricLoss {
  const fn = 'liftedStructure';
  checkOptions(fn, options, LIFTED_STRUCTURE_OPTIONS);
  const o = withDefaults<LiftedStructureOptions>(
    { posMargin: 0, negMargin: 1, distance: distances.euclidean(), reduction: 'mean' },
    options,
  );
  checkNumber(fn, 'posMargin', o.posMargin);
  checkNumber(fn, 'negMargin', o.negMargin);
  return new LiftedStructureLoss(o);
}
