/**
 * Shared by the runner tests: notebook normalization for golden comparisons (ids, times, ANSI,
 * absolute paths), output capture for the CLI, and the orphan-process check.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Io } from '../../lib/cli/run';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const ROOT = path.resolve(__dirname, '..', '..');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

function normalizeValue(v: Json): Json {
  // Stack frames name node's and tslab's internals, which change between versions.
  if (typeof v === 'string')
    return v
      .replace(ANSI, '')
      .replace(/^\s+at .*\n?/gm, '')
      .split(ROOT)
      .join('<ROOT>');
  if (Array.isArray(v)) return v.map(normalizeValue);
  if (v && typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, val] of Object.entries(v)) {
      // Ids and timings differ on every run; language_info depends on the kernel's version.
      if (k === 'id' || k === 'execution' || k === 'language_info') continue;
      out[k] = normalizeValue(val);
    }
    return out;
  }
  return v;
}

/** The notebook file as JSON with ids, timings and ANSI codes removed and lines joined. */
export function normalizedNotebook(file: string): Json {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Array<Record<string, Json>> };
  for (const cell of nb.cells) {
    if (Array.isArray(cell.source)) cell.source = cell.source.join('');
    for (const o of (cell.outputs ?? []) as Array<Record<string, Json>>) {
      if (Array.isArray(o.text)) o.text = o.text.join('');
      const data = o.data as Record<string, Json> | undefined;
      for (const k of Object.keys(data ?? {})) if (Array.isArray(data![k])) data![k] = (data![k] as string[]).join('');
    }
  }
  return normalizeValue(nb as unknown as Json);
}

/** Collects what the CLI prints. */
export function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => (out += t),
    err: (t) => (err += t),
    color: false,
    stdout: () => out,
    stderr: () => err,
  };
}

/** Kernels (tslab, ipykernel) started by this test process that are still alive: must be none. */
export function livingChildren(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && Number(f[1]) === process.pid && !f[2].startsWith('Z'))
    .filter((f) => /tslab|ipykernel|jupyter/.test(f.slice(3).join(' ')))
    .map((f) => f.join(' '));
}

/** Debian's python3 with nbformat (null when absent: those checks are skipped with a reason). */
export function debianPython(module: string): string | null {
  const py = '/usr/bin/python3';
  if (!fs.existsSync(py)) return null;
  try {
    execFileSync(py, ['-c', `import ${module}`], { stdio: 'ignore' });
    return py;
  } catch {
    return null;
  }
}

/** Validates notebooks with Debian's nbformat; returns the error text ('' when all are valid). */
export function nbformatValidate(py: string, files: string[]): string {
  const script =
    'import sys, nbformat\nfor f in sys.argv[1:]:\n    nbformat.validate(nbformat.read(f, as_version=nbformat.NO_CONVERT))\n';
  try {
    execFileSync(py, ['-c', script, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
}

/** Writes a notebook of code cells (tslab unless `kernel` names another kernelspec). */
export function writeCodeNotebook(file: string, sources: string[], kernel = 'tslab'): string {
  const cells = sources.map((source, i) => ({
    id: `cell${i}`,
    cell_type: 'code',
    source,
    metadata: {},
    outputs: [],
    execution_count: null,
  }));
  const metadata = {
    kernelspec: { name: kernel, display_name: kernel, language: kernel === 'tslab' ? 'typescript' : 'python' },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells }, null, 1));
  return file;
}
