/**
 * Heat maps of a metric over two factors (e.g. Recall@1 per corruption x severity), with the
 * value written in each cell.
 */
import { fail } from '../validate';
import { checkNonEmpty, finiteField, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

/** One cell: its row and column keys and its value. */
export interface HeatmapCell {
  row: string | number;
  col: string | number;
  value: number;
}

export interface HeatmapOptions extends PlotOptions {
  rowTitle?: string;
  colTitle?: string;
  valueTitle?: string;
  /** Colour-scale domain (default: the data range; [0, 1] suits recall). */
  domain?: [number, number];
  /** Print values in the cells (default true). */
  showValues?: boolean;
  /** d3 number format for the printed values (default '.2f'). */
  format?: string;
}

/**
 * Builds a heat map; rows and columns keep their first-seen order.
 *
 * @example
 * const spec = heatmap(
 *   [{ row: 'gaussian noise', col: 1, value: 0.8 }, { row: 'gaussian noise', col: 2, value: 0.6 }],
 *   { rowTitle: 'corruption', colTitle: 'severity', valueTitle: 'Recall@1', domain: [0, 1] },
 * );
 */
export function heatmap(cells: readonly HeatmapCell[], options: HeatmapOptions = {}): TopLevelSpec {
  const fn = 'heatmap';
  checkNonEmpty<HeatmapCell>(fn, 'cells', cells);
  const rows: string[] = [];
  const cols: string[] = [];
  const values = cells.map((c, i) => {
    for (const key of ['row', 'col'] as const) {
      const v = c?.[key];
      if (typeof v !== 'string' && typeof v !== 'number') fail(fn, `cells[${i}].${key}`, 'be a string or number', v);
    }
    const value = finiteField(fn, 'cells', i, 'value', c.value);
    const row = String(c.row);
    const col = String(c.col);
    if (!rows.includes(row)) rows.push(row);
    if (!cols.includes(col)) cols.push(col);
    return { row, col, value };
  });
  if (options.domain && !(options.domain[0] < options.domain[1])) {
    fail(fn, 'options.domain', 'be [low, high] with low < high', options.domain.join(','));
  }
  const lo = options.domain?.[0] ?? Math.min(...values.map((v) => v.value));
  const hi = options.domain?.[1] ?? Math.max(...values.map((v) => v.value));
  const x = { field: 'col', type: 'ordinal', sort: cols, title: options.colTitle ?? null, axis: { labelAngle: 0 } };
  const y = { field: 'row', type: 'ordinal', sort: rows, title: options.rowTitle ?? null };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rect' },
      encoding: {
        x,
        y,
        color: {
          field: 'value',
          type: 'quantitative',
          title: options.valueTitle ?? 'value',
          scale: { scheme: 'viridis', ...(options.domain ? { domain: options.domain } : {}) },
        },
      },
    },
  ];
  if (options.showValues ?? true) {
    // Dark text on the bright (high) end of viridis, light text on the dark end.
    const mid = (lo + hi) / 2;
    layers.push({
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        x,
        y,
        text: { field: 'value', type: 'quantitative', format: options.format ?? '.2f' },
        color: { condition: { test: `datum.value > ${mid}`, value: 'black' }, value: 'white' },
      },
    });
  }
  const step = 40;
  return topLevel(
    {
      data: { values },
      layer: layers,
      width: options.width ?? { step: Math.max(step, 8 * Math.max(...cols.map((c) => c.length))) },
      height: options.height ?? { step: 28 },
    },
    { title: options.title },
    false,
  );
}
