import * as tf from '../tf';
import type { LossParts } from './base';
import { checkOptions, withDefaults, type Resolved } from '../options';
import {
  CLASS_WEIGHT_OPTIONS,
  CLASS_WEIGHT_REQUIRED,
  ClassWeightLoss,
  crossEntropy,
  type ClassWeightOptions,
} from './class-weights';

class SoftmaxCrossEntropyLoss extends ClassWeightLoss {
  readonly bias: tf.Variable;

  constructor(readonly options: Resolved<ClassWeightOptions>) {
    // Glorot-normal head [D, C]; the bias starts at 0.
    super(
      'softmaxCrossEntropy',
      'mean',
      options,
      'dimByClass',
      Math.sqrt(2 / (options.embeddingSize + options.numClasses)),
    );
    this.bias = tf.tidy(() => tf.variable(tf.zeros([options.numClasses]), true));
  }

  override trainableWeights(): tf.Variable[] {
    return [this.weights, this.bias];
  }

  protected classLoss(embeddings: tf.Tensor2D, oneHot: tf.Tensor2D): LossParts {
    const logits = tf.add(tf.matMul(embeddings, this.weights as tf.Tensor2D), this.bias) as tf.Tensor2D;
    return { groups: [{ values: crossEntropy(logits, oneHot), weights: null }] };
  }
}

/**
 * The classification baseline: a linear head (owned by the loss, seeded) and softmax
 * cross-entropy, mean over the batch. Embeddings are used as they are (not normalized).
 *
 * @example
 * const loss = losses.softmaxCrossEntropy({ numClasses: 10, embeddingSize: 64, seed: 1 });
 * optimizer.minimize(() => loss.compute(model.predict(x) as tf.Tensor2D, labels).loss); // all trainable variables: the model's and the class weights
 */
export function softmaxCrossEntropy(options: ClassWeightOptions): ClassWeightLoss {
  checkOptions('softmaxCrossEntropy', options, CLASS_WEIGHT_OPTIONS, CLASS_WEIGHT_REQUIRED);
  const { numClasses, embeddingSize } = options;
  return new SoftmaxCrossEntropyLoss(withDefaults<ClassWeightOptions>({ numClasses, embeddingSize, seed: 0 }, options));
}
