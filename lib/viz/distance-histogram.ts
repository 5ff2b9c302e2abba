/**
 * Positive-vs-negative distance histograms: how far same-class pairs and different-class pairs
 * are. Each kind is normalised to fractions of its own pairs, because a batch has far more
 * negative than positive pairs and raw counts would flatten the positive histogram.
 */
import { checkNumber, fail } from '../validate';
import { BAD_COLOR, GOOD_COLOR, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

export interface DistanceHistogramInput {
  /** Distances (or similarities) between same-class pairs. */
  positive: ArrayLike<number>;
  /** Distances (or similarities) between different-class pairs. */
  negative: ArrayLike<number>;
}

export interface DistanceHistogramOptions extends PlotOptions {
  /** Number of bins over the common range (default 30). */
  bins?: number;
  /** x-axis title (default 'distance'). */
  xTitle?: string;
}

/** One histogram bar. */
export interface HistogramBin {
  kind: 'positive' | 'negative';
  start: number;
  end: number;
  count: number;
  /** count / number of values of this kind. */
  fraction: number;
}

function checkValues(fn: string, arg: string, values: ArrayLike<number>): void {
  if (!values || typeof values.length !== 'number' || values.length === 0) {
    fail(fn, arg, 'be a non-empty array of numbers', values?.length === 0 ? 'an empty array' : typeof values);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) fail(fn, arg, 'contain only finite numbers', `${values[i]} at index ${i}`);
  }
}

/**
 * Bins both kinds on shared edges spanning their common range (the last bin includes its end).
 *
 * @example
 * histogramBins({ positive: [0.1, 0.2], negative: [0.9, 1.0] }, 2);
 * // positive: [0.1,0.55) count 2; negative: [0.55,1.0] count 2; the other two bins are empty
 */
export function histogramBins(input: DistanceHistogramInput, bins: number, fn = 'histogramBins'): HistogramBin[] {
  checkValues(fn, 'positive', input.positive);
  checkValues(fn, 'negative', input.negative);
  checkNumber(fn, 'bins', bins, { min: 1, integer: true });
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of [input.positive, input.negative]) {
    for (let i = 0; i < values.length; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
  }
  if (hi === lo) hi = lo + 1; // all values equal: one visible bin rather than zero width
  const width = (hi - lo) / bins;
  const out: HistogramBin[] = [];
  for (const kind of ['positive', 'negative'] as const) {
    const values = input[kind];
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < values.length; i++) counts[Math.min(bins - 1, Math.floor((values[i] - lo) / width))]++;
    counts.forEach((count, b) =>
      out.push({ kind, start: lo + b * width, end: lo + (b + 1) * width, count, fraction: count / values.length }),
    );
  }
  return out;
}

/**
 * Builds overlaid histograms of positive and negative pair distances.
 *
 * @example
 * const { d, same } = pairDistances(embeddings, labels);
 * const [posDistances, negDistances] = [d.filter((_, i) => same[i] === 1), d.filter((_, i) => same[i] === 0)];
 * const spec = distanceHistogram({ positive: posDistances, negative: negDistances }, { bins: 40 });
 */
export function distanceHistogram(input: DistanceHistogramInput, options: DistanceHistogramOptions = {}): TopLevelSpec {
  const values = histogramBins(input, options.bins ?? 30, 'distanceHistogram');
  return topLevel(
    {
      data: { values },
      mark: { type: 'rect', opacity: 0.55, binSpacing: 0 },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: options.xTitle ?? 'distance', scale: { zero: false } },
        x2: { field: 'end' },
        y: { field: 'fraction', type: 'quantitative', title: 'fraction of pairs', stack: null },
        y2: { datum: 0 },
        color: {
          field: 'kind',
          type: 'nominal',
          title: 'pairs',
          scale: { domain: ['positive', 'negative'], range: [GOOD_COLOR, BAD_COLOR] },
        },
        tooltip: [
          { field: 'kind', type: 'nominal' },
          { field: 'count', type: 'quantitative' },
        ],
      },
    },
    options,
  );
}
