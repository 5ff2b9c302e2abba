/**
 * Paired comparisons over seeds and the claim checks built on them: the course's statistics
 * standard in one place. Two methods run on the same seeds (same initial weights, same batches)
 * give paired results; the mean of the per-seed differences with a Student-t interval says
 * whether one is better, and the words follow the interval.
 */
import { checkNumber, fail } from '../validate';
import { studentTQuantile } from './student-t';

export type Verdict = 'better' | 'worse' | 'no detectable difference';

export interface MeanInterval {
  mean: number;
  /** Lower and upper end of the two-sided `level` interval for the mean (NaN when n = 1). */
  low: number;
  high: number;
  halfWidth: number;
  level: number;
  n: number;
  /** 'mean ± half-width', e.g. '0.812 ± 0.010'; just the mean when n = 1. */
  text: string;
}

export interface PairedComparison extends MeanInterval {
  /** Seeds in which `a` did better than `b` (ties count for neither). */
  wins: number;
  /** 'better' or 'worse' only when the interval of the difference excludes 0. */
  verdict: Verdict;
  /** e.g. '+0.012 [+0.004, +0.020] (95% CI over 3 seeds, ahead in 3/3): better'. */
  summary: string;
}

export interface IntervalOptions {
  /** Confidence level of the two-sided interval. Default 0.95. */
  level?: number;
  /** Decimals in the texts. Default 3. */
  digits?: number;
}

export interface CompareOptions extends IntervalOptions {
  /** Whether a larger value is the better one (Recall, MAP@R) or a smaller one (loss, FAR). Default true. */
  higherIsBetter?: boolean;
}

/**
 * Mean with a Student-t confidence interval (the seeds are the sample).
 *
 * @example
 * meanInterval([0.81, 0.84, 0.83]).text; // '0.827 ± 0.038' (95%, t with 2 degrees of freedom)
 */
export function meanInterval(values: readonly number[], options: IntervalOptions = {}): MeanInterval {
  const fn = 'meanInterval';
  checkValues(fn, 'values', values);
  const { level, digits } = checkIntervalOptions(fn, options);
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) {
    return { mean, low: NaN, high: NaN, halfWidth: NaN, level, n, text: mean.toFixed(digits) };
  }
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const halfWidth = (studentTQuantile(1 - (1 - level) / 2, n - 1) * sd) / Math.sqrt(n);
  const text = `${mean.toFixed(digits)} ± ${halfWidth.toFixed(digits)}`;
  return { mean, low: mean - halfWidth, high: mean + halfWidth, halfWidth, level, n, text };
}

/**
 * Paired comparison of `a` against `b` (same seeds, same order): mean difference a − b with its
 * t interval, and a verdict that says "better" or "worse" only when the interval excludes 0.
 *
 * @example
 * const c = comparePaired([0.84, 0.86, 0.85], [0.80, 0.83, 0.81]);
 * c.verdict; // 'better'
 * c.summary; // '+0.037 [+0.022, +0.051] (95% CI over 3 seeds, ahead in 3/3): better'
 */
export function comparePaired(
  a: readonly number[],
  b: readonly number[],
  options: CompareOptions = {},
): PairedComparison {
  const fn = 'comparePaired';
  checkValues(fn, 'a', a);
  checkValues(fn, 'b', b);
  if (a.length !== b.length) fail(fn, 'b', `have one value per seed of a (${a.length})`, `${b.length} values`);
  if (a.length < 2) fail(fn, 'a', 'have at least 2 paired values (seeds) for an interval', `${a.length}`);
  const higherIsBetter = options.higherIsBetter ?? true;
  if (typeof higherIsBetter !== 'boolean') fail(fn, 'higherIsBetter', 'be a boolean', typeof higherIsBetter);
  const { level, digits } = checkIntervalOptions(fn, options);
  const diffs = a.map((v, i) => v - b[i]);
  const interval = meanInterval(diffs, { level, digits });
  const sign = higherIsBetter ? 1 : -1;
  const wins = diffs.filter((d) => sign * d > 0).length;
  let verdict: Verdict = 'no detectable difference';
  if (interval.low > 0) verdict = higherIsBetter ? 'better' : 'worse';
  else if (interval.high < 0) verdict = higherIsBetter ? 'worse' : 'better';
  const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
  const summary =
    `${signed(interval.mean)} [${signed(interval.low)}, ${signed(interval.high)}] ` +
    `(${Math.round(level * 100)}% CI over ${a.length} seeds, ahead in ${wins}/${a.length}): ${verdict}`;
  return {
    ...interval,
    text: `${signed(interval.mean)} ± ${interval.halfWidth.toFixed(digits)}`,
    wins,
    verdict,
    summary,
  };
}

export interface ClaimChecksOptions {
  /** Throw on the first claim that does not hold (quick profile); otherwise record it (full). */
  strict: boolean;
}

/**
 * The self-check cell of a notebook: each claim of the text is checked against the run. In strict
 * mode (the quick profile the text was written from) a false claim throws with the numbers; in
 * the full profile it is recorded as "DOES NOT HOLD", since more data may legitimately change it.
 *
 * @example
 * const checks = new ClaimChecks({ strict: profileFor() === 'quick' });
 * const [triplet, pixels] = [[0.52, 0.55, 0.5], [0.41, 0.43, 0.4]]; // unseen MAP@R per seed
 * checks.verdict('triplet beats pixels on unseen MAP@R', comparePaired(triplet, pixels), 'better');
 * const far = 0.25; // a false-accept rate measured on unseen classes
 * checks.that('FAR on unseen classes exceeds 20%', far > 0.2, `FAR ${far.toFixed(3)}`);
 * console.log(checks.report());
 */
export class ClaimChecks {
  private readonly lines: string[] = [];
  private failures = 0;

  constructor(private readonly options: ClaimChecksOptions) {
    if (typeof options?.strict !== 'boolean')
      fail('ClaimChecks', 'options.strict', 'be a boolean', typeof options?.strict);
  }

  /** A plain claim: `ok` must be true. */
  that(claim: string, ok: boolean, detail: string): boolean {
    if (!ok) {
      this.failures++;
      if (this.options.strict) throw new Error(`Claim does not hold: ${claim} (${detail})`);
    }
    this.lines.push(`${ok ? 'ok' : 'DOES NOT HOLD'}: ${claim} (${detail})`);
    return ok;
  }

  /** A comparison claim: the paired verdict must be `expected` (e.g. 'better' needs the interval above 0). */
  verdict(claim: string, comparison: PairedComparison, expected: Verdict): boolean {
    return this.that(claim, comparison.verdict === expected, comparison.summary);
  }

  /** Number of claims that did not hold (always 0 in strict mode, which throws instead). */
  get failed(): number {
    return this.failures;
  }

  /** One line per claim, in order. */
  report(): string {
    return this.lines.join('\n');
  }
}

function checkValues(fn: string, arg: string, values: readonly number[]): void {
  if (!Array.isArray(values) || values.length === 0) {
    fail(fn, arg, 'be a non-empty array of numbers', Array.isArray(values) ? 'an empty array' : typeof values);
  }
  values.forEach((v, i) => checkNumber(fn, `${arg}[${i}]`, v));
}

function checkIntervalOptions(fn: string, options: IntervalOptions): { level: number; digits: number } {
  const level = checkNumber(fn, 'level', options.level ?? 0.95, { min: 0, max: 1, minExclusive: true });
  if (level === 1) fail(fn, 'level', 'be below 1 (a 100% interval is infinite)', level);
  const digits = checkNumber(fn, 'digits', options.digits ?? 3, { min: 0, max: 20, integer: true });
  return { level, digits };
}
