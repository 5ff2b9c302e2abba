/**
 * Notebook I/O. Reads nbformat 4 (any minor; checked against the official JSON schema) and 3
 * (upgraded like nbconvert does), writes 4.5 the way nbformat's own writer does:
 * cell ids, sources and text outputs split into lines, sorted keys, indent 1, trailing newline.
 * Writes are atomic (temp file + rename) so a reader (or a crash) never sees half a file.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { NotebookFormatError } from './errors';
import { schemaViolation } from './nbformat-schema';
import { upgradeV3 } from './nbformat-v3';
import type { Output } from './outputs';

export interface NotebookCell {
  id: string;
  cell_type: 'code' | 'markdown' | 'raw';
  /** Joined into one string in memory; split into lines on write. */
  source: string;
  metadata: Record<string, unknown>;
  /** Code cells only. */
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: Record<string, unknown>;
}

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const joinLines = (v: unknown): string => (Array.isArray(v) ? v.map(String).join('') : String(v ?? ''));

const ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

/** A fresh cell id, 8 hex characters like nbformat's `random_cell_id`. */
export function newCellId(): string {
  return crypto.randomBytes(4).toString('hex');
}

function joinBundle(data: unknown): Record<string, string | Record<string, unknown>> {
  const out: Record<string, string | Record<string, unknown>> = {};
  for (const [k, v] of Object.entries((data ?? {}) as Record<string, unknown>)) {
    out[k] = isJsonMime(k) ? (v as Record<string, unknown>) : joinLines(v);
  }
  return out;
}

function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || /\+json$/.test(mime);
}

function normalizeOutput(raw: Record<string, unknown>): Output {
  switch (raw.output_type) {
    case 'stream':
      return { output_type: 'stream', name: raw.name === 'stderr' ? 'stderr' : 'stdout', text: joinLines(raw.text) };
    case 'display_data':
      return {
        output_type: 'display_data',
        data: joinBundle(raw.data),
        metadata: (raw.metadata ?? {}) as Record<string, unknown>,
      };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        data: joinBundle(raw.data),
        metadata: (raw.metadata ?? {}) as Record<string, unknown>,
        execution_count: (raw.execution_count as number | null) ?? null,
      };
    default:
      return {
        output_type: 'error',
        ename: String(raw.ename ?? ''),
        evalue: String(raw.evalue ?? ''),
        traceback: Array.isArray(raw.traceback) ? raw.traceback.map(String) : [],
      };
  }
}

/**
 * For 4.5+, cells without an id are given one before validation, as nbformat's reader does
 * (it warns and repairs rather than rejecting); the real ids are assigned while parsing.
 */
function withCellIds(obj: Record<string, unknown>): Record<string, unknown> {
  if (typeof obj.nbformat_minor !== 'number' || obj.nbformat_minor < 5 || !Array.isArray(obj.cells)) return obj;
  const cells = obj.cells.map((c: unknown) => {
    const cell = c as Record<string, unknown>;
    return typeof cell.id === 'string' ? cell : { ...cell, id: 'placeholder' };
  });
  return { ...obj, cells };
}

/**
 * Parses notebook JSON (nbformat 4, or 3 upgraded), validated against the official schema; throws NotebookFormatError naming what is wrong.
 *
 * @example
 * const nb = parseNotebook(fs.readFileSync('a.ipynb', 'utf8'), 'a.ipynb');
 * nb.cells[0].source; // 'print(1)'
 */
export function parseNotebook(text: string, file: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(file, `it is not valid JSON (${(e as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new NotebookFormatError(file, 'it is not a JSON object');
  let obj = raw as Record<string, unknown>;
  if (obj.nbformat === 3) {
    if (!Array.isArray(obj.worksheets)) {
      throw new NotebookFormatError(file, "it is nbformat 3 without a 'worksheets' array, so it cannot be upgraded");
    }
    obj = upgradeV3(obj);
  }
  if (obj.nbformat !== 4) {
    throw new NotebookFormatError(file, `its nbformat is ${JSON.stringify(obj.nbformat)} (4 is read, 3 is upgraded)`);
  }
  if (!Array.isArray(obj.cells)) throw new NotebookFormatError(file, "it has no 'cells' array");
  obj.cells.forEach((c: unknown, i: number) => {
    const type = (c as { cell_type?: unknown } | null)?.cell_type;
    if (!['code', 'markdown', 'raw'].includes(type as string)) {
      throw new NotebookFormatError(file, `cell ${i + 1} has cell_type ${JSON.stringify(type)}`);
    }
  });
  const violation = schemaViolation(withCellIds(obj));
  if (violation) {
    const minor = typeof obj.nbformat_minor === 'number' ? Math.min(obj.nbformat_minor, 5) : 5;
    throw new NotebookFormatError(file, `it does not match the nbformat 4.${minor} schema: ${violation}`);
  }
  const seen = new Set<string>();
  const cells = obj.cells.map((c: unknown): NotebookCell => {
    const cell = c as Record<string, unknown>;
    // Keep valid unique ids (4.5 notebooks); give older or duplicated ones a fresh id.
    let id = typeof cell.id === 'string' && ID_PATTERN.test(cell.id) && !seen.has(cell.id) ? cell.id : newCellId();
    while (seen.has(id)) id = newCellId();
    seen.add(id);
    const out: NotebookCell = {
      id,
      cell_type: cell.cell_type as NotebookCell['cell_type'],
      source: joinLines(cell.source),
      metadata: (cell.metadata ?? {}) as Record<string, unknown>,
    };
    if (cell.cell_type === 'code') {
      out.outputs = Array.isArray(cell.outputs)
        ? cell.outputs.map((o) => normalizeOutput(o as Record<string, unknown>))
        : [];
      out.execution_count = (cell.execution_count as number | null) ?? null;
    }
    if (cell.attachments && cell.cell_type !== 'code') out.attachments = cell.attachments as Record<string, unknown>;
    return out;
  });
  return { nbformat: 4, nbformat_minor: 5, metadata: (obj.metadata ?? {}) as Record<string, unknown>, cells };
}

/** Reads a notebook file (NotebookFormatError if unreadable or not nbformat 4). */
export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new NotebookFormatError(file, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseNotebook(text, file);
}

/** Python's str.splitlines(True) for '\n'-separated text: lines keep their newline. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function splitBundle(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'string' && !isJsonMime(k) ? splitLines(v) : v;
  return out;
}

function toDisk(nb: Notebook): Json {
  const cells = nb.cells.map((c) => {
    const cell: Record<string, unknown> = {
      id: c.id,
      cell_type: c.cell_type,
      source: splitLines(c.source),
      metadata: c.metadata,
    };
    if (c.cell_type === 'code') {
      cell.execution_count = c.execution_count ?? null;
      cell.outputs = (c.outputs ?? []).map((o) => {
        if (o.output_type === 'stream') return { ...o, text: splitLines(o.text) };
        if (o.output_type === 'error') return o;
        return { ...o, data: splitBundle(o.data) };
      });
    }
    if (c.attachments) cell.attachments = c.attachments;
    return cell;
  });
  return JSON.parse(JSON.stringify({ ...nb, nbformat_minor: 5, cells })) as Json;
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/** The file text nbformat would write: sorted keys, indent 1, trailing newline. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(toDisk(nb)), null, 1) + '\n';
}

/**
 * Writes atomically: a temp file in the same directory, then rename (atomic on POSIX), so a
 * crash mid-write leaves the previous complete version.
 *
 * @example
 * writeNotebook('out/a.ipynb', nb);
 */
export function writeNotebook(file: string, nb: Notebook): void {
  makeDirs(path.dirname(path.resolve(file)));
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, serializeNotebook(nb));
  fs.renameSync(tmp, file);
}

/** The cell's tags (metadata.tags), empty when none. */
export function cellTags(cell: NotebookCell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.map(String) : [];
}

/**
 * The asynchronous twin of writeNotebook for already-serialized text (used by the throttled
 * saver, so a big notebook's write does not block the kernel's messages): temp file, rename.
 *
 * @example
 * await writeNotebookText('out/a.ipynb', serializeNotebook(nb));
 */
export async function writeNotebookText(file: string, text: string): Promise<void> {
  makeDirs(path.dirname(path.resolve(file)));
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.promises.writeFile(tmp, text);
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * mkdir -p that fails instead of spinning: Node's recursive mkdir loops forever under /proc
 * (`fs.mkdirSync('/proc/x', { recursive: true })` never returns), which made an --out there
 * hang the runner. Creates the missing folders one level at a time.
 *
 * @example
 * makeDirs('out/notebooks');
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    missing.unshift(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing) fs.mkdirSync(m);
}
