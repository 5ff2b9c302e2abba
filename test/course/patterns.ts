/** A tiny seeded image set for the course tests: one random 10x10 pattern per class, noisy copies of it. */
import * as tf from '../../lib/tf';
import type { LabelledImages } from '../../lib/course';
import { toRandom } from '../../lib/random';

/** `perClass` noisy copies of one random 10x10 pattern per class (seeded). */
export function patterns(classes: number[], perClass: number, noise: number, seed: number): LabelledImages {
  const rng = toRandom(seed);
  const protos = classes.map(() => Float32Array.from({ length: 100 }, () => (rng.uniform() < 0.3 ? 1 : 0)));
  const data = new Float32Array(classes.length * perClass * 100);
  const y = new Int32Array(classes.length * perClass);
  classes.forEach((c, ci) => {
    for (let k = 0; k < perClass; k++) {
      const row = ci * perClass + k;
      y[row] = c;
      for (let p = 0; p < 100; p++) data[row * 100 + p] = protos[ci][p] + noise * (rng.uniform() - 0.5);
    }
  });
  return { x: tf.tensor4d(data, [y.length, 10, 10, 1]), y };
}
