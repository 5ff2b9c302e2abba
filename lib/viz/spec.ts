/**
 * What every spec builder shares: the vega-lite spec type, the house look (font, sizes,
 * colours) and the checks on plain-number inputs. Builders take plain arrays and records, so a
 * notebook can plot a history JSON or a results table without touching tensors.
 */
import { fail } from '../validate';

/**
 * A vega-lite specification, as the builders return it and compileSpec/toSvg/toPng/show take it.
 * Declared here rather than imported from vega-lite: vega-lite is ESM-only, and the import
 * attribute needed to name its types from CommonJS typings does not parse in TypeScript 5.0 (the
 * TypeScript that tslab bundles). A spec typed with vega-lite's own TopLevelSpec is passed as
 * `spec as TopLevelSpec`.
 */
export interface TopLevelSpec {
  $schema?: string;
  [key: string]: unknown;
}

/** Options every builder accepts. */
export interface PlotOptions {
  /** Chart title. */
  title?: string;
  /** Plot-area width in pixels (default 360). */
  width?: number;
  /** Plot-area height in pixels (default 240). */
  height?: number;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Colour for "correct" / positive pairs and "wrong" / negative pairs, used across plots. */
export const GOOD_COLOR = '#1f77b4';
export const BAD_COLOR = '#d62728';

/**
 * The house config. The font is named explicitly because the PNG rasterizer (resvg) has no
 * browser fallback chain: 'DejaVu Sans' ships with Debian (fonts-dejavu-core) and 'sans-serif'
 * maps to it in render.ts, so the same text renders in SVG viewers and in PNGs.
 */
export const CONFIG = {
  font: 'DejaVu Sans, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14 },
} as const;

/**
 * Wraps a builder's body with the schema, title, size and house config.
 *
 * @example
 * const spec = topLevel({ mark: 'point', data: { values: [] } }, { title: 'Empty' });
 */
export function topLevel(body: Record<string, unknown>, options: PlotOptions, sized = true): TopLevelSpec {
  const extra = (body.config ?? {}) as Record<string, object>;
  const config: Record<string, unknown> = { ...CONFIG, ...extra };
  // Merge one level deeper so a builder can tweak e.g. axis settings without losing the font sizes.
  for (const [key, value] of Object.entries(extra)) {
    const base = (CONFIG as Record<string, unknown>)[key];
    if (base && typeof base === 'object') config[key] = { ...base, ...value };
  }
  const spec: Record<string, unknown> = { $schema: SCHEMA, ...body, config };
  if (options.title !== undefined) spec.title = options.title;
  if (sized) {
    spec.width = options.width ?? 360;
    spec.height = options.height ?? 240;
  }
  return spec as unknown as TopLevelSpec;
}

/** Checks a non-empty array argument. */
export function checkNonEmpty<T>(fn: string, arg: string, values: unknown): readonly T[] {
  if (!Array.isArray(values)) fail(fn, arg, 'be an array', typeof values);
  if (values.length === 0) fail(fn, arg, 'be a non-empty array', 'an empty array');
  return values as T[];
}

/** Checks that `record[key]` is a finite number; `index` names the row in the message. */
export function finiteField(fn: string, arg: string, index: number, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(fn, `${arg}[${index}].${key}`, 'be a finite number', value);
  }
  return value;
}

/**
 * The scale of a quantitative axis that ends where the data end: vega-lite's default "nice"
 * domain stretches a log axis to whole decades (0.01..2 becomes 0.01..10) and a linear one to
 * round numbers, leaving empty bands that squash the curves. Linear axes also drop the zero.
 */
export function dataScale(log: boolean | undefined): { type: 'log'; nice: false } | { zero: false; nice: false } {
  return log ? { type: 'log', nice: false } : { zero: false, nice: false };
}
