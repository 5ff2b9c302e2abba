/**
 * MNIST-C style corruptions (Mu & Gilmer 2019, "MNIST-C: A Robustness Benchmark for Computer
 * Vision") with ImageNet-C style severities 1..5 (Hendrycks & Dietterich 2019); severity 0 is
 * the identity. Each image gets its own generator forked from (seed, corruption, image index),
 * so a corrupted image does not depend on the batch it is in or on the severity's random draws.
 */
import * as tf from '../../tf';
import { toRandom, type SeedLike } from '../../random';
import { checkNumber, checkOneOf, fail } from '../../validate';
import { BLUR } from './blur';
import { GEOMETRIC } from './geometric';
import { clip01 } from './image-ops';
import { LINES } from './lines';
import { NOISE } from './noise';
import { PHOTOMETRIC } from './photometric';
import type { CorruptionSpec } from './spec';

const SPECS = { ...GEOMETRIC, ...NOISE, ...BLUR, ...PHOTOMETRIC, ...LINES };

export type CorruptionName = keyof typeof SPECS;

/** Every corruption name, so notebooks can loop over them. */
export const CORRUPTIONS = Object.keys(SPECS) as CorruptionName[];

/** What each corruption does and its parameter at severity 1..5. */
export const CORRUPTION_INFO: Readonly<Record<CorruptionName, Omit<CorruptionSpec, 'apply'>>> = SPECS;

export const MAX_SEVERITY = 5;

/**
 * Corrupts images held in a Float32Array of shape [N, H, W] (one channel) and returns a new
 * array clipped to [0, 1].
 *
 * @example
 * const out = corruptPixels(new Float32Array(2 * 28 * 28).fill(0.5), [2, 28, 28], 'fog', 3, 42); // Float32Array(1568)
 */
export function corruptPixels(
  pixels: Float32Array,
  shape: readonly [number, number, number],
  name: CorruptionName,
  severity: number,
  seed: SeedLike,
): Float32Array {
  const fn = 'corrupt';
  const corruption = checkOneOf(fn, 'name', name, CORRUPTIONS);
  checkNumber(fn, 'severity', severity, { min: 0, max: MAX_SEVERITY, integer: true });
  const [n, height, width] = shape;
  const size = height * width;
  if (pixels.length !== n * size) fail(fn, 'pixels', `have ${n}×${height}×${width} values`, pixels.length);
  if (severity === 0) return pixels.slice();
  const spec = SPECS[corruption];
  const value = spec.levels[severity - 1];
  const base = toRandom(seed).fork(corruption);
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < n; i++) {
    const src = { data: pixels.subarray(i * size, (i + 1) * size), width, height };
    spec.apply(src, out.subarray(i * size, (i + 1) * size), value, base.fork(String(i)));
  }
  clip01(out);
  return out;
}

/** Checks a [N, H, W, 1] image tensor and returns its shape. */
export function checkImages(fn: string, images: unknown): [number, number, number, number] {
  if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.shape[3] !== 1) {
    fail(fn, 'images', 'be a 4-D tensor [N, H, W, 1]', images);
  }
  return images.shape as [number, number, number, number];
}

/**
 * Applies one corruption at severity 0..5 to a batch of images [N, H, W, 1] in [0, 1]; returns
 * a new tensor (the caller disposes both). Same seed, same output.
 *
 * @example
 * for (const name of CORRUPTIONS) {
 *   const shifted = corrupt(images, name, 3, { seed: 0 });
 *   // ... evaluate retrieval on `shifted`
 *   shifted.dispose();
 * }
 */
export function corrupt(
  images: tf.Tensor4D,
  name: CorruptionName,
  severity: number,
  { seed }: { seed: SeedLike },
): tf.Tensor4D {
  const [n, h, w] = checkImages('corrupt', images);
  const out = corruptPixels(images.dataSync() as Float32Array, [n, h, w], name, severity, seed);
  return tf.tensor4d(out, [n, h, w, 1]);
}
