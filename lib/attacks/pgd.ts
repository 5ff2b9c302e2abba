/**
 * FGSM and PGD against an embedder, in an L∞ ball on the input: the perturbation of every pixel
 * stays within ±epsilon of the clean value, and the perturbed image stays in the valid pixel
 * range. The attack climbs the gradient sign of an objective (lib/attacks/objectives.ts).
 */
import * as tf from '../tf';
import { toRandom } from '../random';
import { checkNumber, fail } from '../validate';
import type { AttackObjective } from './objectives';

/** Images → embeddings, differentiable (e.g. `modelForward(model)` or the pixel embedding). */
export type DifferentiableEmbed = (x: tf.Tensor4D) => tf.Tensor2D;

export interface PgdOptions {
  /** L∞ radius of the perturbation, in pixel units (pixels in [0, 1]: 0.1 = 10% of the range). */
  epsilon: number;
  /** Gradient-sign steps. */
  steps: number;
  /** Size of each step. Default 2.5·epsilon/steps (Madry et al. 2018). */
  stepSize?: number;
  /** Start from a uniform random point of the ball (seeded). Default true. */
  randomStart?: boolean;
  /** Seed of the random start (required when randomStart is true). */
  seed?: number;
  /** Valid pixel range [low, high]. Default [0, 1]. */
  range?: [number, number];
}

/**
 * The differentiable forward pass of a model (inference mode), for attacks.
 *
 * @example
 * const clean = model.predict(images) as tf.Tensor2D;
 * const objective = embeddingShiftObjective(clean);
 * const adv = pgdAttack(modelForward(model), images, objective, { epsilon: 0.1, steps: 10, seed: 1 });
 */
export function modelForward(model: tf.LayersModel): DifferentiableEmbed {
  return (x) => model.apply(x, { training: false }) as tf.Tensor2D;
}

/**
 * Projected gradient descent (ascent on the objective): from a random point of the ε-ball
 * around x, repeat x' ← clip(x' + stepSize·sign(∇ objective)), projecting onto the ball and the
 * pixel range after each step. Returns a new tensor (the caller disposes it); x is not changed.
 *
 * @example
 * const probe = queryGalleryProbe('test', d.test, { queryFraction: 0.2, seed: 1 });
 * const gallery = model.predict(probe.gallery!.x) as tf.Tensor2D;
 * const objective = retrievalObjective({ gallery, galleryLabels: probe.gallery!.y, queryLabels: probe.queries.y });
 * const adv = pgdAttack(modelForward(model), probe.queries.x, objective, { epsilon: 0.1, steps: 10, seed: 1 });
 * objective.dispose(); gallery.dispose();
 */
export function pgdAttack(
  embed: DifferentiableEmbed,
  x: tf.Tensor4D,
  objective: AttackObjective,
  options: PgdOptions,
): tf.Tensor4D {
  return runAttack('pgdAttack', embed, x, objective, options);
}

/**
 * The fast gradient sign method (Goodfellow et al. 2015): one step of size epsilon from x,
 * no random start. Exact for an objective linear in the pixels; PGD is the stronger attack.
 *
 * @example
 * const objective = embeddingShiftObjective(model.predict(images) as tf.Tensor2D);
 * const adv = fgsmAttack(modelForward(model), images, objective, { epsilon: 0.1 });
 */
export function fgsmAttack(
  embed: DifferentiableEmbed,
  x: tf.Tensor4D,
  objective: AttackObjective,
  options: { epsilon: number; range?: [number, number] },
): tf.Tensor4D {
  const epsilon = options?.epsilon;
  return runAttack('fgsmAttack', embed, x, objective, {
    epsilon,
    steps: 1,
    stepSize: typeof epsilon === 'number' && epsilon > 0 ? epsilon : 1,
    randomStart: false,
    range: options?.range,
  });
}

function runAttack(
  fn: string,
  embed: DifferentiableEmbed,
  x: tf.Tensor4D,
  objective: AttackObjective,
  options: PgdOptions,
): tf.Tensor4D {
  if (typeof embed !== 'function') fail(fn, 'embed', 'be a function (images) => embeddings', typeof embed);
  if (!(x instanceof tf.Tensor) || x.rank !== 4 || x.dtype !== 'float32')
    fail(fn, 'x', 'be a float32 tensor of images [N, H, W, C]', x instanceof tf.Tensor ? x : typeof x);
  if (!objective || typeof objective.value !== 'function')
    fail(fn, 'objective', 'be an AttackObjective (retrievalObjective, embeddingShiftObjective)', typeof objective);
  if (objective.size !== x.shape[0])
    fail(fn, 'objective', `have one entry per image of x (${x.shape[0]})`, `${objective.size} entries`);
  const epsilon = checkNumber(fn, 'epsilon', options?.epsilon, { min: 0 });
  const steps = checkNumber(fn, 'steps', options.steps, { min: 1, integer: true });
  const stepSize = checkNumber(fn, 'stepSize', options.stepSize ?? (2.5 * epsilon) / steps, { min: 0 });
  const randomStart = options.randomStart ?? true;
  if (typeof randomStart !== 'boolean') fail(fn, 'randomStart', 'be a boolean', typeof randomStart);
  const [low, high] = options.range ?? [0, 1];
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high))
    fail(fn, 'range', 'be [low, high] with finite low < high', `[${low}, ${high}]`);
  const [min, max] = tf.tidy(() => [x.min().dataSync()[0], x.max().dataSync()[0]]);
  if (min < low || max > high)
    fail(fn, 'x', `lie in the valid range [${low}, ${high}]`, `values from ${min} to ${max}`);
  if (epsilon === 0) return x.clone();

  const lower = tf.tidy(() => tf.maximum(tf.sub(x, epsilon), low));
  const upper = tf.tidy(() => tf.minimum(tf.add(x, epsilon), high));
  const gradient = tf.grad((z: tf.Tensor) => tf.sum(objective.value(embed(z as tf.Tensor4D))));
  let adv: tf.Tensor4D = randomStart ? startInBall(fn, x, epsilon, options.seed, lower, upper) : x.clone();
  try {
    for (let s = 0; s < steps; s++) {
      const next = tf.tidy(() => {
        const g = gradient(adv);
        return tf.minimum(tf.maximum(tf.add(adv, tf.mul(tf.sign(g), stepSize)), lower), upper) as tf.Tensor4D;
      });
      adv.dispose();
      adv = next;
    }
    return adv;
  } catch (error) {
    adv.dispose();
    throw error;
  } finally {
    tf.dispose([lower, upper]);
  }
}

/** A seeded uniform point of the ε-ball, clipped to the pixel range. */
function startInBall(
  fn: string,
  x: tf.Tensor4D,
  epsilon: number,
  seed: number | undefined,
  lower: tf.Tensor,
  upper: tf.Tensor,
): tf.Tensor4D {
  if (seed === undefined) fail(fn, 'seed', 'be given when randomStart is true (seeded runs repeat)', 'undefined');
  const rng = toRandom(checkNumber(fn, 'seed', seed, { integer: true }));
  const noise = new Float32Array(x.size);
  for (let i = 0; i < noise.length; i++) noise[i] = (2 * rng.uniform() - 1) * epsilon;
  return tf.tidy(() => tf.minimum(tf.maximum(tf.add(x, tf.tensor(noise, x.shape)), lower), upper) as tf.Tensor4D);
}
