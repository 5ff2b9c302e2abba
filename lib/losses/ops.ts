/**
 * Small tensor helpers the losses share: masked log-sum-exp with pytorch-metric-learning's
 * conventions, a stop-gradient (tfjs has none), flat gathers, seeded weights.
 */
import * as tf from '../tf';
import type { Distance } from '../distances';
import type { Random } from '../random';
import { stopGradient } from '../reducers';

export { stopGradient };

/** Stands in for -Infinity in masked reductions: exp() of it is 0, and 0 * it is 0, not NaN. */
export const VERY_NEGATIVE = -1e30;

/**
 * log(sum over mask of exp(x)) along `axis` (keeping the axis); with `addOne` a 0 joins the set
 * (log(1 + sum exp)). An empty set gives 0, not -Infinity, and no NaN gradient.
 *
 * @example
 * const posMask = tf.tensor2d([[0, 1], [1, 0]]);
 * maskedLogSumExp(tf.tensor2d([[5, 0], [0, 5]]), posMask, 1, true); // [[log 2], [log 2]]: log(1 + Σ_pos exp(x_ij)) per row
 */
export function maskedLogSumExp(x: tf.Tensor, mask: tf.Tensor, axis: number, addOne = false): tf.Tensor {
  return tf.tidy(() => {
    const isIn = tf.greater(mask, 0);
    const z = tf.where(isIn, x, tf.fill(x.shape, VERY_NEGATIVE));
    const m = stopGradient(z, (v) => (addOne ? tf.maximum(tf.max(v, axis, true), 0) : tf.max(v, axis, true)));
    let s = tf.sum(tf.mul(tf.exp(tf.sub(z, m)), tf.cast(isIn, 'float32')), axis, true);
    if (addOne) return tf.add(m, tf.log(tf.add(s, tf.exp(tf.neg(m)))));
    const any = tf.greater(tf.sum(mask, axis, true), 0);
    s = tf.where(any, s, tf.onesLike(s));
    return tf.where(any, tf.add(m, tf.log(s)), tf.zerosLike(s));
  });
}

/**
 * Entries mat[i[k], j[k]] as a 1-D tensor (a flat gather, so the gradient is a segment sum).
 *
 * @example
 * const dist = tf.tensor2d([[0, 1, 2], [1, 0, 3]]);
 * pickPairs(dist, Int32Array.from([0, 1]), Int32Array.from([2, 2])); // [2, 3]: the entries (a[k], p[k])
 */
export function pickPairs(mat: tf.Tensor2D, i: Int32Array, j: Int32Array): tf.Tensor1D {
  const cols = mat.shape[1];
  const flat = new Int32Array(i.length);
  for (let k = 0; k < i.length; k++) flat[k] = i[k] * cols + j[k];
  return tf.tidy(() => tf.gather(tf.reshape(mat, [-1]), tf.tensor1d(flat, 'int32')) as tf.Tensor1D);
}

/**
 * "Closeness" logits from a distance matrix: -d for distances, s for similarities.
 *
 * @example
 * closeness(distances.euclidean(), x).div(0.1); // -x / 0.1: logits for a softmax over neighbours (for cosine: x / 0.1)
 */
export function closeness(distance: Distance, mat: tf.Tensor): tf.Tensor {
  return distance.margin(tf.zerosLike(mat), mat);
}

/**
 * A trainable variable filled with seeded normal values (std given), e.g. proxies.
 *
 * @example
 * seededVariable([4, 8], new Random(1), 1, 'proxies');
 */
export function seededVariable(shape: [number, number], rng: Random, std: number, name: string): tf.Variable {
  const values = new Float32Array(shape[0] * shape[1]);
  for (let k = 0; k < values.length; k++) values[k] = rng.normal(0, std);
  // tf.variable keeps its own reference to the data: dispose the initial tensor, or it leaks a handle.
  return tf.tidy(() => tf.variable(tf.tensor2d(values, shape), true, `${name}_${rng.seed}_${variableCounter++}`));
}
let variableCounter = 0;
