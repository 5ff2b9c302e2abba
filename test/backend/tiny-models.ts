/**
 * Seeded synthetic data and two tiny classifiers (an MLP and a small CNN) written with raw ops, so
 * the backend tests and the step timing exercise exactly the kernels training needs (matMul,
 * conv2d and its two gradients, maxPool and its gradient, gather's gradient) with nothing hidden.
 */
import * as tf from '../../lib/tf';
import { Random } from '../../lib/random';

export const NUM_CLASSES = 4;
export const SIZE = 28;

/** Values drawn from N(0, std²) with a seeded generator. */
export function seededNormal(rng: Random, shape: number[], std = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.normal(0, std);
  return tf.tensor(values, shape, 'float32');
}

/**
 * A 4-class problem a working trainer solves quickly: class k is a bright 8x8 square in image
 * quadrant k, on Gaussian noise. Returns images [n, 28, 28, 1] and int32 labels [n].
 */
export function quadrantImages(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const rng = new Random(seed);
  const pixels = new Float32Array(n * SIZE * SIZE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % NUM_CLASSES;
    labels[i] = k;
    const top = k < 2 ? 3 : 17;
    const left = k % 2 === 0 ? 3 : 17;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const inSquare = r >= top && r < top + 8 && c >= left && c < left + 8;
        pixels[(i * SIZE + r) * SIZE + c] = (inSquare ? 1 : 0) + rng.normal(0, 0.3);
      }
    }
  }
  return { x: tf.tensor4d(pixels, [n, SIZE, SIZE, 1]), y: tf.tensor1d(labels, 'int32') };
}

export interface TinyModel {
  variables: tf.Variable[];
  /** Logits [n, NUM_CLASSES]. */
  apply(x: tf.Tensor4D): tf.Tensor2D;
}

function dense(rng: Random, inDim: number, outDim: number): [tf.Variable, tf.Variable] {
  return [tf.variable(seededNormal(rng, [inDim, outDim], Math.sqrt(2 / inDim))), tf.variable(tf.zeros([outDim]))];
}

/** 784 -> 64 -> 32 (the embedding) -> 4 logits, relu between. */
export function mlp(seed: number): TinyModel {
  const rng = new Random(seed);
  const [w1, b1] = dense(rng, SIZE * SIZE, 64);
  const [w2, b2] = dense(rng, 64, 32);
  const [w3, b3] = dense(rng, 32, NUM_CLASSES);
  return {
    variables: [w1, b1, w2, b2, w3, b3],
    apply: (x) => {
      const h1 = tf.relu(tf.add(tf.matMul(tf.reshape(x, [x.shape[0], -1]), w1), b1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
      return tf.add(tf.matMul(h2, w3), b3) as tf.Tensor2D;
    },
  };
}

/** conv 3x3 8ch -> maxPool 2 -> conv 3x3 16ch -> flatten -> dense 32 (the embedding) -> 4 logits. */
export function smallCnn(seed: number): TinyModel {
  const rng = new Random(seed);
  const k1 = tf.variable(seededNormal(rng, [3, 3, 1, 8], Math.sqrt(2 / 9)));
  const k2 = tf.variable(seededNormal(rng, [3, 3, 8, 16], Math.sqrt(2 / 72)));
  const flat = (SIZE / 2) * (SIZE / 2) * 16;
  const [w1, b1] = dense(rng, flat, 32);
  const [w2, b2] = dense(rng, 32, NUM_CLASSES);
  return {
    variables: [k1, k2, w1, b1, w2, b2],
    apply: (x) => {
      const c1 = tf.relu(tf.conv2d(x, k1 as tf.Tensor4D, 1, 'same'));
      const p1 = tf.maxPool(c1, 2, 2, 'valid');
      const c2 = tf.relu(tf.conv2d(p1, k2 as tf.Tensor4D, 1, 'same'));
      const e = tf.relu(tf.add(tf.matMul(tf.reshape(c2, [x.shape[0], flat]), w1), b1));
      return tf.add(tf.matMul(e, w2), b2) as tf.Tensor2D;
    },
  };
}

/** Mean softmax cross-entropy of the model on (x, y). */
export function crossEntropy(model: TinyModel, x: tf.Tensor4D, y: tf.Tensor1D): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(y, NUM_CLASSES), model.apply(x));
}

/** Runs `steps` full-batch Adam steps; returns the loss before each step and after the last. */
export function trainAdam(model: TinyModel, x: tf.Tensor4D, y: tf.Tensor1D, steps: number, lr = 0.01): number[] {
  const optimizer = tf.train.adam(lr);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = optimizer.minimize(() => crossEntropy(model, x, y), true, model.variables);
    losses.push(loss!.dataSync()[0]);
    loss!.dispose();
  }
  losses.push(tf.tidy(() => crossEntropy(model, x, y).dataSync()[0]));
  optimizer.dispose();
  return losses;
}
