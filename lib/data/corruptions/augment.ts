/**
 * Training-time augmentation, the usual mitigation for geometric and noise shift: per image a
 * random shift (the random-crop-with-padding of CIFAR training, done as a sub-pixel translate),
 * a small rotation, a small scale change, and additive Gaussian noise; clipped to [0, 1].
 */
import * as tf from '../../tf';
import { toRandom, type SeedLike } from '../../random';
import { checkNumber } from '../../validate';
import { clip01, rotationScale, warpAffine } from './image-ops';
import { checkImages } from './registry';

export interface AugmentOptions {
  /** Seed for this batch; use a different one per step (e.g. epoch * 1e5 + step). */
  seed: SeedLike;
  /** Largest shift in pixels along each axis (default 2). */
  maxShift?: number;
  /** Largest rotation in degrees either way (default 10). */
  maxRotation?: number;
  /** Largest relative scale change either way (default 0.1). */
  maxScale?: number;
  /** Standard deviation of the additive noise (default 0.05). */
  noiseStd?: number;
}

/**
 * Randomly augments a batch [N, H, W, 1]; returns a new tensor.
 *
 * @example
 * const x = augment(images, { seed: 3, maxShift: 2, maxRotation: 10, noiseStd: 0.05 }); // a new seed each step
 */
export function augment(images: tf.Tensor4D, opts: AugmentOptions): tf.Tensor4D {
  const fn = 'augment';
  const [n, height, width] = checkImages(fn, images);
  const maxShift = checkNumber(fn, 'maxShift', opts.maxShift ?? 2, { min: 0 });
  const maxRotation = checkNumber(fn, 'maxRotation', opts.maxRotation ?? 10, { min: 0, max: 180 });
  const maxScale = checkNumber(fn, 'maxScale', opts.maxScale ?? 0.1, { min: 0, max: 0.9 });
  const noiseStd = checkNumber(fn, 'noiseStd', opts.noiseStd ?? 0.05, { min: 0 });
  const pixels = images.dataSync() as Float32Array;
  const size = height * width;
  const out = new Float32Array(pixels.length);
  const base = toRandom(opts.seed).fork('augment');
  for (let i = 0; i < n; i++) {
    const rng = base.fork(String(i));
    const m = rotationScale(
      rng.range(-maxRotation, maxRotation),
      1 + rng.range(-maxScale, maxScale),
      rng.range(-maxShift, maxShift),
      rng.range(-maxShift, maxShift),
    );
    const dst = out.subarray(i * size, (i + 1) * size);
    warpAffine({ data: pixels.subarray(i * size, (i + 1) * size), width, height }, dst, m);
    if (noiseStd > 0) for (let j = 0; j < size; j++) dst[j] += noiseStd * rng.normal();
  }
  clip01(out);
  return tf.tensor4d(out, [n, height, width, 1]);
}
