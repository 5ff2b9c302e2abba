/**
 * Ignoring the hardest negatives, the noisy-label remedy for mining: with mislabelled data the
 * closest "negatives" of an anchor are often images of its own class carrying a wrong label, so
 * a miner that trusts them pushes apart what belongs together. Dropping the closest fraction of
 * each anchor's negatives before mining keeps the informative ones and skips the likely errors.
 */
import { checkNumber, fail } from '../validate';
import type { MinerInput } from './base';

/**
 * Checks a `skipHardestNegatives` option: a fraction in [0, 1) (default 0, nothing skipped).
 *
 * @example
 * checkSkipFraction('batchHard', 0.2); // 0.2; 1 would throw (no negative would be left)
 */
export function checkSkipFraction(fn: string, value: number | undefined): number {
  const fraction = checkNumber(fn, 'skipHardestNegatives', value ?? 0, { min: 0, max: 1 });
  if (fraction === 1) fail(fn, 'skipHardestNegatives', 'be below 1 (some negatives must be left)', fraction);
  return fraction;
}

/**
 * Anchor a's negatives without the closest `fraction` of them (floor(fraction × count), so an
 * anchor always keeps at least one negative), in their original candidate order.
 *
 * @example
 * const negatives = [1, 2, 3, 4, 5, 6, 7, 8]; // anchor 0's candidates of other labels
 * const kept = withoutHardestNegatives(input, 0, negatives, 0.25); // 8 negatives → the 2 closest dropped
 */
export function withoutHardestNegatives(
  input: MinerInput,
  a: number,
  negatives: readonly number[],
  fraction: number,
): number[] {
  const skip = Math.floor(fraction * negatives.length);
  if (skip === 0) return [...negatives];
  const { mat, m, distance } = input;
  // Closest first: the candidate whose distance is "smaller" in the distance's own direction.
  const byCloseness = [...negatives].sort((p, q) => distance.marginOf(mat[a * m + p], mat[a * m + q]));
  const dropped = new Set(byCloseness.slice(0, skip));
  return negatives.filter((j) => !dropped.has(j));
}
