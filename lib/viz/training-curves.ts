/**
 * Training curves: loss and metrics against step or epoch, one colour per run, one panel per
 * metric (each with its own y scale, since loss and Recall@1 live on different ranges).
 */
import { fail } from '../validate';
import { checkNonEmpty, dataScale, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

/**
 * One training run: a name and its history rows (e.g. `{ step: 10, loss: 0.4, recallAt1: 0.7 }`).
 * Any record type works, `history.steps` and `epochPoints(history)` included: numeric fields are
 * plotted, other fields are ignored.
 */
export interface CurveRun {
  name: string;
  points: readonly object[];
}

export interface TrainingCurvesOptions extends PlotOptions {
  /** The x field in each point (default 'step'). */
  x?: string;
  /** Which fields to plot (default: every numeric field other than x, in first-seen order). */
  metrics?: string[];
  /** Panels per row (default 2). */
  columns?: number;
  /** Log-scale y (useful for losses spanning decades). */
  logY?: boolean;
}

/**
 * Builds a faceted line chart of training histories.
 * Missing or non-finite values are left out (evaluation metrics exist only every N epochs),
 * which shows as a line through the points that exist.
 *
 * @example
 * const spec = trainingCurves(
 *   [
 *     { name: 'triplet', points: [{ step: 0, loss: 0.9 }, { step: 1, loss: 0.5 }] },
 *     { name: 'contrastive', points: [{ step: 0, loss: 1.2 }, { step: 1, loss: 0.7 }] },
 *   ],
 *   { metrics: ['loss'] },
 * );
 */
export function trainingCurves(runs: readonly CurveRun[], options: TrainingCurvesOptions = {}): TopLevelSpec {
  const fn = 'trainingCurves';
  checkNonEmpty<CurveRun>(fn, 'runs', runs);
  const x = options.x ?? 'step';
  const seen: string[] = [];
  const values: { run: string; x: number; metric: string; value: number }[] = [];
  runs.forEach((run, r) => {
    if (!run || typeof run.name !== 'string') fail(fn, `runs[${r}].name`, 'be a string', run?.name);
    if (!Array.isArray(run.points)) fail(fn, `runs[${r}].points`, 'be an array of records', typeof run.points);
    run.points.forEach((point, i) => {
      if (!point || typeof point !== 'object') fail(fn, `runs[${r}].points[${i}]`, 'be a record', point);
      const p = point as Readonly<Record<string, unknown>>;
      const xv = p[x];
      if (typeof xv !== 'number' || !Number.isFinite(xv)) {
        fail(fn, `runs[${r}].points[${i}].${x}`, 'be a finite number (the x field)', xv);
      }
      for (const [key, v] of Object.entries(p)) {
        if (key === x || typeof v !== 'number') continue;
        if (!seen.includes(key)) seen.push(key);
        if (Number.isFinite(v)) values.push({ run: run.name, x: xv, metric: key, value: v });
      }
    });
  });
  const metrics = options.metrics ?? seen;
  for (const m of metrics) {
    if (!seen.includes(m)) fail(fn, 'options.metrics', `name fields present in the points (${seen.join(', ')})`, m);
  }
  const data = values.filter((v) => metrics.includes(v.metric));
  const encoding = {
    x: { field: 'x', type: 'quantitative', title: x },
    y: {
      field: 'value',
      type: 'quantitative',
      title: null,
      scale: dataScale(options.logY),
    },
    color: { field: 'run', type: 'nominal', title: 'run', sort: runs.map((r) => r.name) },
  };
  const unit = {
    width: options.width ?? 300,
    height: options.height ?? 180,
    mark: { type: 'line', point: data.length <= 200, strokeWidth: 2 },
    encoding,
  };
  return topLevel(
    {
      data: { values: data },
      facet: { field: 'metric', type: 'nominal', title: null, sort: metrics, header: { labelFontSize: 12 } },
      columns: Math.min(options.columns ?? 2, metrics.length),
      spec: unit,
      resolve: { scale: { y: 'independent' } },
    },
    options,
    false,
  );
}
