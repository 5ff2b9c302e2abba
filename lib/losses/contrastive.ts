import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber, checkOneOf } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
import { divisor, fusable, fusedPairLoss, fusedPairWeights, type PassResult } from './fused-pairs';
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

const CONTRASTIVE_FORMS = ['hinge', 'squared'] as const;

/** The kind of each option, for the option check and the command line. */
export const CONTRASTIVE_OPTIONS: OptionKinds<ContrastiveOptions> = {
  posMargin: 'number',
  negMargin: 'number',
  distance: 'object',
  reduction: LOSS_REDUCTIONS,
  form: CONTRASTIVE_FORMS,
};

class ContrastiveLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<ContrastiveOptions>) {
    super('contrastive', options.reduction);
    this.distance = options.distance;
  }

  protected computeLoss(input: LossInput): LossParts {
    if (fusable(this.distance, input)) {
      const { pos, neg } = fusedPairWeights(input);
      return fusedPairLoss(this.distance, input, (d, n, grad) => this.pass(d, n, grad, pos, neg));
    }
    const { mat, pos, neg } = pairMatrix(this.distance, input);
    const d = this.distance;
    const shape = (v: tf.Tensor): tf.Tensor =>
      this.options.form === 'hinge' ? tf.relu(v) : tf.mul(tf.square(tf.relu(v)), 0.5);
    const posLoss = shape(d.margin(mat, tf.scalar(this.options.posMargin)));
    const negLoss = shape(d.margin(tf.scalar(this.options.negMargin), mat));
    return {
      groups: [
        { values: posLoss, weights: pos },
        { values: negLoss, weights: neg },
      ],
      ...pairStats(mat, pos, neg),
    };
  }

  /** computeLoss as one pass over the distances (fused-pairs.ts): the same terms and reduction. */
  private pass(d: Float32Array, n: number, grad: Float32Array, pos: Float32Array, neg: Float32Array): PassResult {
    const { posMargin, negMargin, form } = this.options;
    const sign = this.distance.isInverted ? -1 : 1; // margin(x, y) = sign (x - y)
    const sums = contrastiveTerms(d, n * n, pos, neg, grad, { posMargin, negMargin, sign, hinge: form === 'hinge' });
    const posDiv = divisor(this.reduction, sums.posTerms, sums.posActive);
    const negDiv = divisor(this.reduction, sums.negTerms, sums.negActive);
    divideByKind(grad, n * n, pos, posDiv, negDiv);
    return {
      loss: sums.posTotal / posDiv + sums.negTotal / negDiv,
      terms: sums.posTerms + sums.negTerms,
      active: sums.posActive + sums.negActive,
      positiveSum: sums.posDistance,
      positiveCount: sums.posTerms,
      negativeSum: sums.negDistance,
      negativeCount: sums.negTerms,
    };
  }
}

/**
 * The fused pass's loop (a function of its own for V8, see fused-pairs.ts): fills `grad` with each
 * pair's dL/dd before the reduction and returns the weighted sums per kind. The sums are plain
 * `let`s: kept in object fields, or declared by destructuring an array, they made the loop 2-3×
 * slower in V8.
 */
function contrastiveTerms(
  d: Float32Array,
  length: number,
  pos: Float32Array,
  neg: Float32Array,
  grad: Float32Array,
  { posMargin, negMargin, sign, hinge }: { posMargin: number; negMargin: number; sign: number; hinge: boolean },
) {
  let posTotal = 0;
  let posDistance = 0;
  let posTerms = 0;
  let posActive = 0;
  let negTotal = 0;
  let negDistance = 0;
  let negTerms = 0;
  let negActive = 0;
  for (let e = 0; e < length; e++) {
    const isPos = pos[e] > 0;
    const w = isPos ? pos[e] : neg[e];
    if (!(w > 0)) continue;
    const de = d[e];
    // Positive pairs cost shape(margin(d, m+)), negative ones shape(margin(m-, d)).
    const v = isPos ? sign * (de - posMargin) : sign * (negMargin - de);
    const r = v > 0 ? v : 0;
    const value = hinge ? r : 0.5 * r * r;
    const slope = hinge ? (v > 0 ? 1 : 0) : r;
    if (isPos) {
      posTotal += value * w;
      posDistance += de * w;
      posTerms += w;
      if (value > 0) posActive += w;
    } else {
      negTotal += value * w;
      negDistance += de * w;
      negTerms += w;
      if (value > 0) negActive += w;
    }
    grad[e] = slope * w * (isPos ? sign : -sign);
  }
  return { posTotal, posDistance, posTerms, posActive, negTotal, negDistance, negTerms, negActive };
}

/** Divides each non-zero dL/dd by its kind's reduction divisor (positive pairs are those of `pos`). */
function divideByKind(grad: Float32Array, length: number, pos: Float32Array, posDiv: number, negDiv: number): void {
  for (let e = 0; e < length; e++) if (grad[e] !== 0) grad[e] /= pos[e] > 0 ? posDiv : negDiv;
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
export function contrastive(options?: ContrastiveOptions): BaseMetricLoss {
  const fn = 'contrastive';
  checkOptions(fn, options, CONTRASTIVE_OPTIONS);
  const o = withDefaults<ContrastiveOptions>(
    { posMargin: 0, negMargin: 1, distance: distances.euclidean(), reduction: 'meanNonZero', form: 'hinge' },
    options,
  );
  checkNumber(fn, 'posMargin', o.posMargin);
  checkNumber(fn, 'negMargin', o.negMargin);
  checkOneOf(fn, 'form', o.form, CONTRASTIVE_FORMS);
  return new ContrastiveLoss(o);
}
