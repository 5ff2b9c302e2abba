import * as tf from '../tf';
import { type SeedLike, toRandom } from '../random';
import type { OptionKinds } from '../options';
import { checkNumber, fail } from '../validate';
import { BaseMetricLoss, checkClassLabels, type LossInput, type LossParts, type LossReduction } from './base';
import { seededVariable } from './ops';

/** Options every loss with per-class weights (proxies, margin-softmax heads) takes. */
export interface ClassWeightOptions {
  numClasses: number;
  embeddingSize: number;
  /** Seed of the weight initialisation (default 0). */
  seed?: SeedLike;
}

/** The kinds of the options every class-weight loss takes. */
export const CLASS_WEIGHT_OPTIONS: OptionKinds<ClassWeightOptions> = {
  numClasses: 'number',
  embeddingSize: 'number',
  seed: 'seed',
};

/** The options a class-weight loss cannot do without. */
export const CLASS_WEIGHT_REQUIRED = ['numClasses', 'embeddingSize'] as const;

/**
 * A loss that owns one weight matrix per class: proxies [C, D] or a head [D, C]. It checks that
 * labels are class indices, and lets the weights be set (e.g. from a parity fixture).
 */
export abstract class ClassWeightLoss extends BaseMetricLoss {
  readonly weights: tf.Variable;
  readonly numClasses: number;
  override readonly pairBased = false;

  constructor(
    name: string,
    reduction: LossReduction,
    options: ClassWeightOptions,
    layout: 'classByDim' | 'dimByClass',
    std: number,
  ) {
    super(name, reduction);
    this.numClasses = checkNumber(name, 'numClasses', options.numClasses, { min: 1, integer: true });
    const d = checkNumber(name, 'embeddingSize', options.embeddingSize, { min: 1, integer: true });
    const shape: [number, number] = layout === 'classByDim' ? [this.numClasses, d] : [d, this.numClasses];
    this.weights = seededVariable(shape, toRandom(options.seed ?? 0).fork(name), std, name);
  }

  override trainableWeights(): tf.Variable[] {
    return [this.weights];
  }

  /** Replaces the weights (same shape), e.g. with reference proxies. */
  setWeights(values: number[][] | tf.Tensor2D): void {
    const t = values instanceof tf.Tensor ? values : tf.tensor2d(values);
    if (t.shape.join() !== this.weights.shape.join()) {
      fail(this.name, 'weights', `have shape [${this.weights.shape.join(',')}]`, t);
    }
    this.weights.assign(t);
    if (t !== values) t.dispose();
  }

  protected computeLoss(input: LossInput): LossParts {
    checkClassLabels(this.name, input.labels, this.numClasses);
    if (input.embeddings.shape[1] !== this.weights.shape[this.weights.shape[0] === this.numClasses ? 1 : 0]) {
      fail(this.name, 'embeddings', `have ${this.weights.shape.join('x')} weights' embedding size`, input.embeddings);
    }
    const oneHot = tf.oneHot(tf.tensor1d(input.labels, 'int32'), this.numClasses).toFloat() as tf.Tensor2D;
    return this.classLoss(input.embeddings, oneHot);
  }

  /** The loss given one-hot labels [N, C]. */
  protected abstract classLoss(embeddings: tf.Tensor2D, oneHot: tf.Tensor2D): LossParts;
}

/** Cross-entropy terms [N] from logits [N, C] and one-hot targets. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), oneHot), 1)) as tf.Tensor1D;
}
