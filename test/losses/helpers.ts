/** Shared fixtures for the loss tests: seeded embeddings and a finite-difference gradient check. */
import * as tf from '../../lib/tf';
import { Random } from '../../lib/random';
import type { MetricLoss } from '../../lib/types';

/** Seeded normal embeddings [n, d] as a float32 tensor. */
export function randomEmbeddings(n: number, d: number, seed: number): tf.Tensor2D {
  const rng = new Random(seed);
  return tf.tensor2d(
    Array.from({ length: n * d }, () => rng.normal()),
    [n, d],
  );
}

/** The loss value on plain numbers (disposes everything). */
export function lossValue(loss: MetricLoss, e: tf.Tensor2D, labels: ArrayLike<number>): number {
  return tf.tidy(() => loss.compute(e, labels).loss.dataSync()[0]);
}

/**
 * Largest |analytic - central difference| over every coordinate, relative to the gradient's
 * largest magnitude (so a wrong factor or sign shows up as ~1, float32 noise as ~1e-3).
 */
export function gradientError(loss: MetricLoss, e: tf.Tensor2D, labels: ArrayLike<number>, eps = 1e-2): number {
  const analytic = tf.tidy(() =>
    tf
      .grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels).loss)(e)
      .dataSync(),
  );
  const base = e.arraySync();
  let worst = 0;
  let scale = 1e-3;
  for (let i = 0; i < base.length; i++) {
    for (let j = 0; j < base[0].length; j++) {
      const shifted = (delta: number): number => {
        const copy = base.map((r) => r.slice());
        copy[i][j] += delta;
        const t = tf.tensor2d(copy);
        const v = lossValue(loss, t, labels);
        t.dispose();
        return v;
      };
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      const a = analytic[i * base[0].length + j];
      worst = Math.max(worst, Math.abs(a - numeric));
      scale = Math.max(scale, Math.abs(numeric));
    }
  }
  return worst / scale;
}
