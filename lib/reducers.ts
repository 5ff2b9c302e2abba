/**
 * Reducers turn per-term loss values into a scalar and count the terms (pytorch-metric-learning's
 * reducers; tfjs's typed `Reduction`). Terms are given as `values` with `weights` of the same
 * shape: a weight is how many times that entry is a term (0 = not a term), so a loss can keep its
 * terms in matrix layout (a pair matrix with a mask, mined pairs counted with multiplicity)
 * without gathering them.
 *
 * @example
 * const values = tf.tensor1d([0, 0.5, 1.5]); // per-term losses
 * const { loss } = reduce(values, null, 'meanNonZero'); // 1: the mean over terms with a loss > 0
 */
import * as tf from './tf';

export const REDUCTIONS = ['mean', 'meanNonZero', 'sum', 'none'] as const;
/** mean over terms, mean over terms > 0, sum, or none (the masked values, flattened). */
export type Reduction = (typeof REDUCTIONS)[number];

export interface Reduced {
  /** A scalar, or for 'none' the 1-D masked values (entries that are not terms are 0). */
  loss: tf.Tensor;
  /** Number of terms (sum of weights). */
  terms: tf.Scalar;
  /** Terms with a loss > 0. */
  active: tf.Scalar;
}

/**
 * Reduces weighted terms. Entries with weight 0 are replaced by 0 before anything else, so a
 * non-term that happens to be huge never leaks into the result; with no terms the result is 0
 * and still connected to `values`' graph.
 *
 * @example
 * reduce(tf.tensor1d([0, 2, 4]), null, 'meanNonZero').loss; // 3
 */
export function reduce(values: tf.Tensor, weights: tf.Tensor | null, reduction: Reduction): Reduced {
  return tf.tidy(() => {
    const w = weights ?? tf.ones(values.shape);
    const isTerm = tf.greater(w, 0);
    const v = tf.where(isTerm, values, tf.zerosLike(values));
    const weighted = tf.mul(v, w);
    const terms = tf.sum(w);
    // Counting is not differentiable (Greater has no gradient): count on a detached copy.
    const active = stopGradient(v, (x) => tf.sum(tf.mul(w, tf.cast(tf.greater(x, 0), 'float32'))));
    const total = tf.sum(weighted);
    let loss: tf.Tensor;
    switch (reduction) {
      case 'mean':
        loss = tf.div(total, tf.maximum(terms, 1));
        break;
      case 'meanNonZero':
        loss = tf.div(total, tf.maximum(active, 1));
        break;
      case 'sum':
        loss = total;
        break;
      case 'none':
        loss = tf.reshape(weighted, [-1]);
        break;
    }
    return { loss, terms: terms as tf.Scalar, active: active as tf.Scalar };
  });
}

/**
 * f(x) with a zero gradient towards x (torch's .detach()). The ops inside `f` are not recorded
 * on the gradient tape at all, which matters in tfjs: an op without a gradient (Greater) or
 * with a broadcasting bug in its gradient (Maximum) anywhere between x and the loss throws.
 *
 * @example
 * const values = tf.tensor1d([0, 0.5, 1.5]);
 * const count = stopGradient(values, (v) => tf.sum(tf.cast(tf.greater(v, 0), 'float32'))); // 2, no gradient
 */
export function stopGradient(x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor = tf.clone): tf.Tensor {
  const g = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: f(input), gradFunc: () => tf.zerosLike(input) };
  });
  return g(x);
}
