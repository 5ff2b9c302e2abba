/**
 * Synthetic label noise for the noisy-label experiments (Patrini et al. 2017; Han et al. 2018,
 * "Co-teaching"): each label is independently corrupted with probability `rate`.
 * - symmetric: flipped to a uniformly random *other* class;
 * - pair-flip: class c becomes (c + 1) mod C, the structured noise of Co-teaching.
 * Classes are 0..numClasses-1; numClasses defaults to max(label) + 1.
 */
import { toRandom, type SeedLike } from '../random';
import type { LabelsLike } from '../types';
import { checkNumber, checkOneOf, fail, labelsToArray } from '../validate';

export const LABEL_NOISE_TYPES = ['symmetric', 'pair-flip'] as const;
export type LabelNoiseType = (typeof LABEL_NOISE_TYPES)[number];

export interface LabelNoiseOptions {
  type: LabelNoiseType;
  /** Probability that a label is corrupted, in [0, 1]. */
  rate: number;
  seed: SeedLike;
  /** Number of classes C (default max(label) + 1). */
  numClasses?: number;
}

export interface NoisyLabels {
  /** The noisy labels (a new array). */
  labels: Int32Array;
  /** 1 where the label was changed. */
  flipped: Uint8Array;
  /** Fraction actually flipped. */
  flippedFraction: number;
}

/**
 * Corrupts labels with symmetric or pair-flip noise.
 *
 * @example
 * const noisy = addLabelNoise(ds.labels, { type: 'symmetric', rate: 0.4, seed: 1 });
 * noisy.flippedFraction; // about 0.4
 */
export function addLabelNoise(labels: LabelsLike, opts: LabelNoiseOptions): NoisyLabels {
  const fn = 'addLabelNoise';
  const y = labelsToArray(fn, labels);
  const type = checkOneOf(fn, 'type', opts.type, LABEL_NOISE_TYPES);
  const rate = checkNumber(fn, 'rate', opts.rate, { min: 0, max: 1 });
  let maxLabel = -1;
  y.forEach((v, i) => {
    if (v < 0) fail(fn, 'labels', 'be non-negative class numbers', `${v} at index ${i}`);
    maxLabel = Math.max(maxLabel, v);
  });
  const numClasses = checkNumber(fn, 'numClasses', opts.numClasses ?? maxLabel + 1, { min: 2, integer: true });
  if (maxLabel >= numClasses) fail(fn, 'labels', `be below numClasses (${numClasses})`, maxLabel);
  const rng = toRandom(opts.seed);
  const out = Int32Array.from(y);
  const flipped = new Uint8Array(y.length);
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (!rng.bernoulli(rate)) continue;
    switch (type) {
      case 'symmetric': {
        // Uniform over the C-1 other classes: draw from C-1 slots and skip past the true one.
        const r = rng.int(numClasses - 1);
        out[i] = r >= y[i] ? r + 1 : r;
        break;
      }
      case 'pair-flip':
        out[i] = (y[i] + 1) % numClasses;
        break;
    }
    flipped[i] = 1;
    count++;
  }
  return { labels: out, flipped, flippedFraction: y.length ? count / y.length : 0 };
}

/**
 * Symmetric noise: each label, with probability `rate`, becomes a uniformly random other class.
 *
 * @example
 * const { labels, flipped } = symmetricLabelNoise(ds.labels, { rate: 0.2, seed: 7 });
 */
export function symmetricLabelNoise(labels: LabelsLike, opts: Omit<LabelNoiseOptions, 'type'>): NoisyLabels {
  return addLabelNoise(labels, { ...opts, type: 'symmetric' });
}

/**
 * Pair-flip noise: each label c, with probability `rate`, becomes (c + 1) mod C.
 *
 * @example
 * const { labels, flipped } = pairFlipLabelNoise(ds.labels, { rate: 0.2, seed: 7, numClasses: 10 });
 */
export function pairFlipLabelNoise(labels: LabelsLike, opts: Omit<LabelNoiseOptions, 'type'>): NoisyLabels {
  return addLabelNoise(labels, { ...opts, type: 'pair-flip' });
}
