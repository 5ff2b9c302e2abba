/**
 * Heat maps of a metric over two factors (e.g. Recall@1 per corruption x severity), with the
 * value written in each cell.
 */
import { checkNumber, checkOneOf, fail } from '../validate';
import { checkNonEmpty, finiteField, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

/** One cell: its row and column keys and its value. */
export interface HeatmapCell {
  row: string | number;
  col: string | number;
  value: number;
}

export const HEATMAP_SCHEMES = ['sequential', 'diverging'] as const;
/** 'sequential' (viridis, low to high) or 'diverging' (red below the midpoint, blue above). */
export type HeatmapScheme = (typeof HEATMAP_SCHEMES)[number];

export interface HeatmapOptions extends PlotOptions {
  rowTitle?: string;
  colTitle?: string;
  valueTitle?: string;
  /**
   * Colour-scale domain (default: the data range; [0, 1] suits recall). With the diverging
   * scheme it must contain domainMid, and defaults to mid ± the largest |value - mid|, so equal
   * gains and losses get equally strong colours.
   */
  domain?: [number, number];
  /** Colour scheme (default 'sequential'); 'diverging' suits before/after difference maps. */
  scheme?: HeatmapScheme;
  /** The value drawn in the neutral middle colour of the diverging scheme (default 0). */
  domainMid?: number;
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
 * // A before/after difference: red where it got worse, white at 0, blue where it got better.
 * const gainCells = [{ row: 'gaussian noise', col: 1, value: -0.05 }, { row: 'gaussian noise', col: 2, value: 0.1 }];
 * heatmap(gainCells, { valueTitle: 'Δ Recall@1', scheme: 'diverging', domainMid: 0, format: '+.2f' });
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
  const diverging = checkOneOf(fn, 'options.scheme', options.scheme ?? 'sequential', HEATMAP_SCHEMES) === 'diverging';
  if (!diverging && options.domainMid !== undefined) {
    fail(fn, 'options.domainMid', "come with scheme: 'diverging'", options.domainMid);
  }
  const { scale, textColor } = diverging ? divergingScale(values, options) : sequentialScale(values, options.domain);
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
          scale,
        },
      },
    },
  ];
  if (options.showValues ?? true) {
    layers.push({
      mark: { type: 'text', fontSize: 11 },
      encoding: {
        x,
        y,
        text: { field: 'value', type: 'quantitative', format: options.format ?? '.2f' },
        color: textColor,
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

type Scale = Record<string, unknown>;
type TextColor = Record<string, unknown>;

function sequentialScale(
  values: { value: number }[],
  domain?: [number, number],
): { scale: Scale; textColor: TextColor } {
  const lo = domain?.[0] ?? Math.min(...values.map((v) => v.value));
  const hi = domain?.[1] ?? Math.max(...values.map((v) => v.value));
  // Dark text on the bright (high) end of viridis, light text on the dark end.
  const mid = (lo + hi) / 2;
  return {
    scale: { scheme: 'viridis', ...(domain ? { domain } : {}) },
    textColor: { condition: { test: `datum.value > ${mid}`, value: 'black' }, value: 'white' },
  };
}

function divergingScale(values: { value: number }[], options: HeatmapOptions): { scale: Scale; textColor: TextColor } {
  const fn = 'heatmap';
  const mid = checkNumber(fn, 'options.domainMid', options.domainMid ?? 0);
  let domain = options.domain;
  if (domain && !(domain[0] < mid && mid < domain[1])) {
    fail(fn, 'options.domainMid', `lie inside options.domain [${domain.join(', ')}]`, mid);
  }
  if (!domain) {
    // Symmetric about the midpoint; a map with every cell at mid gets a unit half-width.
    const half = Math.max(...values.map((v) => Math.abs(v.value - mid))) || 1;
    domain = [mid - half, mid + half];
  }
  // White text on the strong ends (beyond half-way to either end), dark text near the pale middle.
  const [lo, hi] = domain;
  const strong = `datum.value < ${mid - (mid - lo) / 2} || datum.value > ${mid + (hi - mid) / 2}`;
  return {
    scale: { scheme: 'redblue', domain, domainMid: mid },
    textColor: { condition: { test: strong, value: 'white' }, value: 'black' },
  };
}
