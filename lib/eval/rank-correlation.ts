/**
 * Rank agreement between two scorings of the same items (e.g. two metrics over several models):
 * Kendall's tau-b, the normalised balance of concordant and discordant pairs, with ties handled
 * as in scipy.stats.kendalltau (tau-b).
 */
import { checkNumber, fail } from '../validate';

/**
 * Kendall's tau-b of `a` and `b` (paired values): 1 = the same order, -1 = reversed, 0 = unrelated.
 * NaN when one of them is constant.
 *
 * @example
 * kendallTau([0.8, 0.6, 0.7], [0.41, 0.30, 0.35]); // 1: both rank the three models alike
 * kendallTau([1, 2, 3], [3, 2, 1]);                // -1
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  const fn = 'kendallTau';
  if (!Array.isArray(a) || a.length < 2)
    fail(fn, 'a', 'be an array of at least 2 numbers', Array.isArray(a) ? a.length : typeof a);
  if (!Array.isArray(b) || b.length !== a.length)
    fail(fn, 'b', `have one value per value of a (${a.length})`, Array.isArray(b) ? b.length : typeof b);
  a.forEach((v, i) => checkNumber(fn, `a[${i}]`, v));
  b.forEach((v, i) => checkNumber(fn, `b[${i}]`, v));
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const s = Math.sign(a[i] - a[j]) * Math.sign(b[i] - b[j]);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
      else {
        if (a[i] === a[j]) tiesA++;
        if (b[i] === b[j]) tiesB++;
      }
    }
  }
  // Pairs tied in both count in both tie totals, as tau-b's n0 - n1 and n0 - n2 require.
  const pairs = (a.length * (a.length - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denominator === 0 ? NaN : (concordant - discordant) / denominator;
}
