/**
 * Metric-vs-parameter sweeps with error bars over seeds: one line per series through the mean,
 * with bars spanning mean ± std (sample std, n - 1) or min..max of the seeds at each value.
 */
import { summarize } from '../eval/stats';
import { checkOneOf, fail } from '../validate';
import { checkNonEmpty, dataScale, finiteField, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

/** One run of the sweep: a parameter value, the metric it got, and optionally seed and series. */
export interface SweepRecord {
  param: number;
  value: number;
  seed?: number;
  /** Which curve (e.g. the loss); default 'all'. */
  series?: string;
}

export const ERROR_BARS = ['std', 'minmax', 'none'] as const;
export type ErrorBars = (typeof ERROR_BARS)[number];

export interface SweepOptions extends PlotOptions {
  /** Bar extent: 'std' (mean ± sample std, default), 'minmax', or 'none'. */
  errorBars?: ErrorBars;
  /** Log-scale x (for learning rates, margins over decades). Params must be > 0. */
  logX?: boolean;
  /**
   * Log-scale y (for times, losses over decades). Values must be > 0, and so must the lower ends
   * of 'std' bars (use errorBars 'minmax' or 'none' when mean - std reaches 0).
   */
  logY?: boolean;
  xTitle?: string;
  yTitle?: string;
}

/** The aggregate of one (series, param) group. */
export interface SweepPoint {
  series: string;
  param: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
  lo: number;
  hi: number;
}

/**
 * Groups sweep records by (series, param) and summarises them over seeds.
 *
 * @example
 * aggregateSweep([{ param: 1, value: 0.5 }, { param: 1, value: 0.7 }], 'std');
 * // [{ series: 'all', param: 1, mean: 0.6, std: 0.1414..., min: 0.5, max: 0.7, n: 2, lo: 0.4586, hi: 0.7414 }]
 */
export function aggregateSweep(records: readonly SweepRecord[], errorBars: ErrorBars = 'std'): SweepPoint[] {
  const fn = 'sweepPlot';
  checkNonEmpty<SweepRecord>(fn, 'records', records);
  checkOneOf(fn, 'errorBars', errorBars, ERROR_BARS);
  const groups = new Map<string, { series: string; param: number; values: number[] }>();
  records.forEach((r, i) => {
    const param = finiteField(fn, 'records', i, 'param', r?.param);
    const value = finiteField(fn, 'records', i, 'value', r.value);
    const series = r.series ?? 'all';
    const key = JSON.stringify([series, param]);
    const g = groups.get(key) ?? { series, param, values: [] };
    g.values.push(value);
    groups.set(key, g);
  });
  return [...groups.values()].map(({ series, param, values }) => {
    const { mean, std: sampleStd, min, max, n } = summarize(values);
    // One seed: a zero-height bar rather than no bar.
    const std = n > 1 ? sampleStd : 0;
    let lo = mean;
    let hi = mean;
    switch (errorBars) {
      case 'std':
        lo = mean - std;
        hi = mean + std;
        break;
      case 'minmax':
        lo = min;
        hi = max;
        break;
      case 'none':
        break;
    }
    return { series, param, mean, std, min, max, n, lo, hi };
  });
}

/**
 * Builds a sweep plot.
 *
 * @example
 * const recall = (margin: number, seed: number): number => 0.8 - margin + 0.01 * seed; // a run's Recall@1
 * const spec = sweepPlot(
 *   [0.05, 0.1, 0.2].flatMap((margin) => [1, 2, 3].map((seed) => ({ param: margin, seed, value: recall(margin, seed) }))),
 *   { xTitle: 'margin', yTitle: 'Recall@1', errorBars: 'std', logX: true },
 * );
 * // Times over decades: both axes logarithmic.
 * const costRecords = [8, 64, 512].map((size) => ({ param: size, seed: 1, value: 0.02 * size }));
 * sweepPlot(costRecords, { logX: true, logY: true, errorBars: 'minmax', xTitle: 'batch size', yTitle: 'ms' });
 */
export function sweepPlot(records: readonly SweepRecord[], options: SweepOptions = {}): TopLevelSpec {
  const errorBars = options.errorBars ?? 'std';
  const values = aggregateSweep(records, errorBars);
  if (options.logX) {
    const bad = values.find((v) => v.param <= 0);
    if (bad) fail('sweepPlot', 'records[].param', 'be > 0 when logX is set', bad.param);
  }
  if (options.logY) checkLogY(values);
  const x = {
    field: 'param',
    type: 'quantitative',
    title: options.xTitle ?? 'parameter',
    scale: dataScale(options.logX),
  };
  const color = { field: 'series', type: 'nominal', title: null };
  // Both layers carry the same y title: vega-lite joins differing titles ("Recall@1, lo") and a
  // null in one layer drops the other's.
  const yTitle = options.yTitle ?? 'metric';
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x,
        y: {
          field: 'mean',
          type: 'quantitative',
          title: yTitle,
          scale: dataScale(options.logY),
        },
        color,
        tooltip: ['series', 'param', 'mean', 'std', 'n'].map((f) => ({
          field: f,
          type: f === 'series' ? 'nominal' : 'quantitative',
        })),
      },
    },
  ];
  if (errorBars !== 'none') {
    layers.push({
      mark: { type: 'errorbar', ticks: true },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: yTitle, scale: dataScale(options.logY) },
        y2: { field: 'hi' },
        color,
      },
    });
  }
  return topLevel({ data: { values }, layer: layers }, options);
}

/** A log axis cannot show 0 or below: name the first point (or bar end) that would vanish. */
function checkLogY(points: readonly SweepPoint[]): void {
  const bad = points.find((p) => p.min <= 0);
  if (bad) fail('sweepPlot', 'records[].value', 'be > 0 when logY is set', `${bad.min} at param ${bad.param}`);
  const low = points.find((p) => p.lo <= 0);
  if (low) {
    fail(
      'sweepPlot',
      'errorBars',
      "keep mean - std > 0 when logY is set (or be 'minmax' or 'none')",
      `${low.lo} at param ${low.param}`,
    );
  }
}
