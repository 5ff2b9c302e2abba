/**
 * A multi-layer perceptron embedder: flatten → dense layers → embedding head.
 */
import * as tf from '../tf';
import { embeddingHead } from './head';
import { SeededInitializers } from './initializers';
import { ACTIVATIONS, type Activation, checkPositiveInt, checkShape, type HeadOptions, resolveHead } from './options';
import { checkOneOf, fail } from '../validate';

export interface MlpEmbedderOptions extends HeadOptions {
  /** Shape of one input, e.g. [28, 28, 1] or [784]; inputs of rank > 1 are flattened. */
  inputShape: number[];
  /** Widths of the hidden layers. Default [256]. */
  hidden?: number[];
  /** Activation of the hidden layers. Default 'relu'. */
  activation?: Activation;
}

/**
 * Builds an MLP embedder.
 *
 * @example
 * const model = mlpEmbedder({ inputShape: [28, 28, 1], hidden: [256], embeddingDim: 64, seed: 1 });
 * const emb = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor2D; // [2, 64], unit rows
 */
export function mlpEmbedder(options: MlpEmbedderOptions): tf.LayersModel {
  const fn = 'mlpEmbedder';
  const inputShape = checkShape(fn, 'inputShape', options.inputShape);
  const hidden = options.hidden ?? [256];
  if (!Array.isArray(hidden)) fail(fn, 'hidden', 'be an array of layer widths', hidden);
  hidden.forEach((h, i) => checkPositiveInt(fn, `hidden[${i}]`, h));
  const activation = checkOneOf(fn, 'activation', options.activation ?? 'relu', ACTIVATIONS);
  const head = resolveHead(fn, options);
  const init = new SeededInitializers(options.seed);

  const input = tf.input({ shape: inputShape, name: 'input' });
  let x: tf.SymbolicTensor = input;
  if (inputShape.length > 1) x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  for (const units of hidden) {
    const kernelInitializer = activation === 'tanh' ? init.glorot() : init.he();
    x = tf.layers.dense({ units, activation, kernelInitializer }).apply(x) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: embeddingHead(x, head, init), name: 'mlp_embedder' });
}
