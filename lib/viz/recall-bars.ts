/**
 * Recall@K bars grouped by K, one colour per method, with the value printed on each bar so the
 * saved PNG can be read without hovering.
 */
import { checkNumber, fail } from '../validate';
import { checkNonEmpty, finiteField, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

/** One bar: a method's Recall@K. */
export interface RecallRow {
  method: string;
  k: number;
  /** Recall in [0, 1]. */
  recall: number;
}

export interface RecallBarsOptions extends PlotOptions {
  /** Print values on the bars (default true). */
  labels?: boolean;
}

/**
 * Builds grouped bars of Recall@K.
 *
 * @example
 * const spec = recallAtKBars([
 *   { method: 'raw pixels', k: 1, recall: 0.71 },
 *   { method: 'triplet', k: 1, recall: 0.83 },
 *   { method: 'raw pixels', k: 5, recall: 0.9 },
 *   { method: 'triplet', k: 5, recall: 0.95 },
 * ]);
 */
export function recallAtKBars(rows: readonly RecallRow[], options: RecallBarsOptions = {}): TopLevelSpec {
  const fn = 'recallAtKBars';
  checkNonEmpty<RecallRow>(fn, 'rows', rows);
  const methods: string[] = [];
  const values = rows.map((r, i) => {
    if (typeof r?.method !== 'string') fail(fn, `rows[${i}].method`, 'be a string', r?.method);
    checkNumber(fn, `rows[${i}].k`, r.k, { min: 1, integer: true });
    const recall = finiteField(fn, 'rows', i, 'recall', r.recall);
    if (recall < 0 || recall > 1) fail(fn, `rows[${i}].recall`, 'be in [0, 1]', recall);
    if (!methods.includes(r.method)) methods.push(r.method);
    return { method: r.method, k: `R@${r.k}`, kValue: r.k, recall };
  });
  const kOrder = [...new Set(values.map((v) => v.kValue))].sort((a, b) => a - b).map((k) => `R@${k}`);
  const x = { field: 'k', type: 'ordinal', title: null, sort: kOrder, axis: { labelAngle: 0 } };
  const xOffset = { field: 'method', type: 'nominal', sort: methods };
  const y = { field: 'recall', type: 'quantitative', title: 'recall', scale: { domain: [0, 1] } };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'bar' },
      encoding: { x, xOffset, y, color: { field: 'method', type: 'nominal', title: 'method', sort: methods } },
    },
  ];
  if (options.labels ?? true) {
    layers.push({
      mark: { type: 'text', dy: -6, fontSize: 10 },
      encoding: { x, xOffset, y, text: { field: 'recall', type: 'quantitative', format: '.2f' } },
    });
  }
  return topLevel({ data: { values }, layer: layers }, options);
}
