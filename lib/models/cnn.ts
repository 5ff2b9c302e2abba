/**
 * A small convolutional embedder sized to train in minutes on a 2-core CPU:
 * conv 3x3 (32) → max-pool 2 → conv 3x3 (64) → max-pool 2 → dense (128) → embedding head.
 * On 28x28 inputs that is about 0.2 M weights, most of them in the dense layer.
 */
import * as tf from '../tf';
import { embeddingHead } from './head';
import { SeededInitializers } from './initializers';
import { checkPositiveInt, checkShape, type HeadOptions, resolveHead } from './options';
import { fail } from '../validate';

export interface CnnEmbedderOptions extends HeadOptions {
  /** Shape of one image [height, width, channels]. Default [28, 28, 1]. */
  inputShape?: number[];
  /** Filters of the two conv layers. Default [32, 64]. */
  filters?: [number, number];
  /** Width of the dense layer before the embedding head. Default 128. */
  dense?: number;
}

/**
 * Builds the small CNN embedder.
 *
 * @example
 * const model = cnnEmbedder({ embeddingDim: 64, seed: 1 });
 * const emb = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor2D; // [2, 64]
 */
export function cnnEmbedder(options: CnnEmbedderOptions): tf.LayersModel {
  const fn = 'cnnEmbedder';
  const inputShape = checkShape(fn, 'inputShape', options.inputShape ?? [28, 28, 1]);
  if (inputShape.length !== 3) fail(fn, 'inputShape', 'be [height, width, channels]', `[${inputShape.join(',')}]`);
  // Two valid 3x3 convs and two 2x2 pools need at least 10 pixels per side to leave one.
  if (inputShape[0] < 10 || inputShape[1] < 10)
    fail(fn, 'inputShape', 'be at least 10x10', `[${inputShape.join(',')}]`);
  const filters = options.filters ?? [32, 64];
  if (!Array.isArray(filters) || filters.length !== 2) fail(fn, 'filters', 'be two filter counts', filters);
  filters.forEach((f, i) => checkPositiveInt(fn, `filters[${i}]`, f));
  const dense = checkPositiveInt(fn, 'dense', options.dense ?? 128);
  const head = resolveHead(fn, options);
  const init = new SeededInitializers(options.seed);

  const input = tf.input({ shape: inputShape, name: 'input' });
  let x: tf.SymbolicTensor = input;
  for (const f of filters) {
    x = tf.layers
      .conv2d({ filters: f, kernelSize: 3, activation: 'relu', kernelInitializer: init.he() })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: dense, activation: 'relu', kernelInitializer: init.he() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: embeddingHead(x, head, init), name: 'cnn_embedder' });
}
