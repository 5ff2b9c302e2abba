/**
 * Summary statistics of a handful of numbers (a metric over seeds), with a 'mean ± std' text for
 * tables and reports, so notebooks stop re-writing the same helper.
 */
import { checkNumber, fail } from '../validate';

export interface Summary {
  mean: number;
  /** Sample standard deviation (divides by n - 1); NaN when n = 1. */
  std: number;
  min: number;
  max: number;
  n: number;
  /** 'mean ± std' with the digits of `digits`, or just the mean when n = 1. */
  text: string;
}

export interface SummarizeOptions {
  /**
   * Decimals in `text`. Default: enough for two significant digits of the std (0.0123 → 3
   * decimals, 1.23 → 1), since more digits of the mean than that are noise; three significant
   * digits of the mean when the std is 0 or undefined (n = 1).
   */
  digits?: number;
}

/**
 * Mean, sample std, min, max and a 'mean ± std' string of plain numbers.
 *
 * @example
 * summarize([0.81, 0.84, 0.83]);
 * // { mean: 0.8267, std: 0.0153, min: 0.81, max: 0.84, n: 3, text: '0.827 ± 0.015' }
 * summarize([0.81, 0.84, 0.83], { digits: 2 }).text; // '0.83 ± 0.02'
 */
export function summarize(values: readonly number[], options: SummarizeOptions = {}): Summary {
  const fn = 'summarize';
  if (!Array.isArray(values) || values.length === 0) {
    fail(fn, 'values', 'be a non-empty array of numbers', Array.isArray(values) ? 'an empty array' : typeof values);
  }
  values.forEach((v, i) => checkNumber(fn, `values[${i}]`, v));
  const n = values.length;
  // The same sums, in the same order, as lib/viz's aggregateSweep, which uses this.
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : NaN;
  const digits =
    options.digits === undefined
      ? defaultDigits(mean, std)
      : checkNumber(fn, 'digits', options.digits, { min: 0, max: 20, integer: true });
  const text = n > 1 ? `${mean.toFixed(digits)} ± ${std.toFixed(digits)}` : mean.toFixed(digits);
  return { mean, std, min: Math.min(...values), max: Math.max(...values), n, text };
}

/** Decimals that show `significant` digits of |value| (at least 0, at most 20). */
function decimalsFor(value: number, significant: number): number {
  if (!(Math.abs(value) > 0)) return significant - 1;
  const d = significant - 1 - Math.floor(Math.log10(Math.abs(value)));
  return Math.min(20, Math.max(0, d));
}

function defaultDigits(mean: number, std: number): number {
  return std > 0 ? decimalsFor(std, 2) : decimalsFor(mean, 3);
}
