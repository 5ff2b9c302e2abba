/**
 * Notebook display. In a tslab kernel, `show(spec)` sends one display_data message carrying a
 * static PNG (what GitHub, nbviewer, VS Code and our HTML export render from a saved notebook)
 * and, with `interactive: true`, the vega-lite spec under 'application/vnd.vegalite.v5+json' in
 * the same bundle (JupyterLab then shows the live chart; viewers without a vega renderer fall
 * back to the PNG).
 *
 * tslab's public `display` sends one MIME type per message (`display.raw(type, data)`) and
 * passes strings through, so a vega-lite spec would arrive as a JSON string that renderers
 * reject. We therefore call the kernel's own display writer (`lastWriteDisplayData` in
 * tslab/dist/jupyter.js, the function tslab's `display` wraps) with a full MIME bundle. It is
 * looked up in require.cache rather than imported, because the kernel's copy of tslab need not
 * be the one this package resolves; if tslab changes that internal, show() falls back to the
 * public `display.png`.
 *
 * Outside a kernel, show() saves the PNG when given `file`, else prints a one-line note.
 */
import * as fs from 'fs';
import * as path from 'path';
import { toPng, type PngOptions } from './render';
import { SCHEMA, type TopLevelSpec } from './spec';

/** A Jupyter display_data content object, as tslab's writer takes it. */
interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}
type DisplayWriter = (content: DisplayContent, update: boolean) => void;

const TSLAB_JUPYTER = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;
const TSLAB_PUBLIC = /[\\/]tslab[\\/]dist[\\/]public\.js$/;

/** The running tslab kernel's display writer, or null outside a kernel. */
function kernelDisplayWriter(): DisplayWriter | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!mod || !TSLAB_JUPYTER.test(file)) continue;
    const writer = (mod.exports as { lastWriteDisplayData?: unknown }).lastWriteDisplayData;
    if (typeof writer === 'function') return writer as DisplayWriter;
  }
  return null;
}

/** tslab's public module as the kernel loaded it, if it did. */
function kernelTslab(): { display: { png(b: Uint8Array): void; html(s: string): void } } | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (mod && TSLAB_PUBLIC.test(file)) return mod.exports as ReturnType<typeof kernelTslab>;
  }
  return null;
}

/** Sends a MIME bundle to the notebook; returns false outside a kernel. */
function sendBundle(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): boolean {
  const writer = kernelDisplayWriter();
  if (writer) {
    writer({ data, metadata, transient: {} }, false);
    return true;
  }
  // The internal moved: use tslab's public API with the richest single type we have. Only a
  // tslab the kernel already loaded counts; requiring it here would load a TypeScript compiler
  // just to learn that there is no kernel.
  const tslab = kernelTslab();
  if (!tslab) return false;
  const png = data['image/png'];
  const html = data['text/html'];
  try {
    if (typeof png === 'string') tslab.display.png(Buffer.from(png, 'base64'));
    else if (typeof html === 'string') tslab.display.html(html);
    else return false;
    return true;
  } catch {
    return false; // tslab loaded but no cell is executing ("Not ready")
  }
}

/** PNG width and height from the IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export interface ShowOptions extends PngOptions {
  /** Also send the vega-lite spec for a live chart in JupyterLab (default false). */
  interactive?: boolean;
  /** Also (or, outside a notebook, instead) write the PNG to this path. */
  file?: string;
}

/** The spec as JupyterLab's vega-lite v5 renderer expects it. */
function interactiveSpec(spec: TopLevelSpec): Record<string, unknown> {
  const copy = { ...(spec as unknown as Record<string, unknown>) };
  if (copy.$schema === SCHEMA) copy.$schema = 'https://vega.github.io/schema/vega-lite/v5.json';
  return copy;
}

/**
 * Displays a chart in a tslab notebook as a static PNG (plus the live spec when interactive).
 * Resolves to nothing, so `await show(spec)` as a cell's last line prints no stray value.
 *
 * @example
 * await show(trainingCurves(runs), { interactive: true });
 * await show(recallAtKBars([{ method: 'triplet', k: 1, recall: 0.82 }]), { file: 'out/recall.png' }); // also saved; outside Jupyter, only saved
 */
export async function show(spec: TopLevelSpec, options: ShowOptions = {}): Promise<void> {
  const scale = options.scale ?? 2;
  const png = await toPng(spec, { ...options, scale });
  const { width, height } = pngSize(png);
  if (options.file) {
    fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    fs.writeFileSync(options.file, png);
  }
  const title = typeof spec.title === 'string' ? spec.title : 'chart';
  const data: Record<string, unknown> = {
    'image/png': Buffer.from(png).toString('base64'),
    'text/plain': `<${title}: ${width}x${height} PNG>`,
  };
  if (options.interactive) data['application/vnd.vegalite.v5+json'] = interactiveSpec(spec);
  // Display at the chart's CSS size so a scale-2 PNG is sharp rather than twice as large.
  const metadata = { 'image/png': { width: Math.round(width / scale), height: Math.round(height / scale) } };
  const displayed = sendBundle(data, metadata);
  if (!displayed && !options.file) {
    console.log(`[show] ${data['text/plain']} not displayed: not in a notebook kernel (pass { file } to save it)`);
  }
}

/** A table cell value. */
export type Cell = string | number | boolean | null | undefined;

export interface TableOptions {
  /** Column order (default: keys in first-seen order). */
  columns?: string[];
  /** Significant decimals for non-integer numbers (default 3). */
  digits?: number;
  /** Caption above the table. */
  title?: string;
}

function formatCell(v: Cell, digits: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return String(v);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Formats rows as an HTML table and an aligned plain-text table (numbers right-aligned).
 *
 * @example
 * formatTable([{ method: 'triplet', 'R@1': 0.8312 }]).text;
 * // method   R@1
 * // -------  -----
 * // triplet  0.831
 */
export function formatTable(
  rows: ReadonlyArray<Readonly<Record<string, Cell>>>,
  options: TableOptions = {},
): { html: string; text: string } {
  const digits = options.digits ?? 3;
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c], digits)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const pad = (s: string, j: number): string => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]));
  const lines = [
    columns.map((c, j) => pad(c, j)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((row) => row.map((s, j) => pad(s, j)).join('  ')),
  ].map((l) => l.trimEnd());
  if (options.title) lines.unshift(options.title);
  const align = (j: number): string => (numeric[j] ? ' style="text-align:right"' : '');
  const html = [
    '<table>',
    options.title ? `<caption>${escapeHtml(options.title)}</caption>` : '',
    `<thead><tr>${columns.map((c, j) => `<th${align(j)}>${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...cells.map((row) => `<tr>${row.map((s, j) => `<td${align(j)}>${escapeHtml(s)}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('');
  return { html, text: lines.join('\n') };
}

/**
 * Shows a results table: HTML in a notebook (with a plain-text fallback), text on the console.
 *
 * @example
 * showTable([{ method: 'raw pixels', 'R@1': 0.71 }, { method: 'triplet', 'R@1': 0.83 }], { title: 'Recall' });
 */
export function showTable(rows: ReadonlyArray<Readonly<Record<string, Cell>>>, options: TableOptions = {}): void {
  const { html, text } = formatTable(rows, options);
  if (!sendBundle({ 'text/html': html, 'text/plain': text })) console.log(text);
}
