/**
 * What every benchmark shares: timing with warm-up and repeats, min–median–max summaries,
 * calling a Python reference script, and the machine/version header of bench/RESULTS.md.
 *
 * @example
 * const t = await timeRepeats(() => step(), { warmup: 2, repeats: 10 });
 * console.log(formatSpan(t, 'ms')); // '12.1 / 12.6 / 14.0 ms'
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Python with the Debian reference packages (the pyenv python3 on PATH lacks them). */
export const PYTHON = '/usr/bin/python3';

/** min, median and max of repeated timings, in seconds, with every sample kept. */
export interface Timing {
  min: number;
  median: number;
  max: number;
  samples: number[];
}

/**
 * Summarises samples (seconds). The median of an even count is the mean of the middle two.
 *
 * @example
 * summarize([3, 1, 2]); // { min: 1, median: 2, max: 3, samples: [3, 1, 2] }
 */
export function summarize(samples: number[]): Timing {
  if (samples.length === 0) throw new Error('Error in summarize: samples must not be empty, but got 0 samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { min: s[0], median, max: s[s.length - 1], samples };
}

export interface RepeatOptions {
  /** Untimed runs first (JIT, kernel caches, allocator). Default 1. */
  warmup?: number;
  /** Timed runs. Default 5. */
  repeats?: number;
}

/**
 * Times `fn` (sync or async) after warm-up runs; each sample is one call, in seconds.
 *
 * @example
 * const t = await timeRepeats(() => model.predict(x), { warmup: 1, repeats: 5 });
 */
export async function timeRepeats(fn: () => unknown, { warmup = 1, repeats = 5 }: RepeatOptions = {}): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1000);
  }
  return summarize(samples);
}

const UNITS = { s: 1, ms: 1e3, us: 1e6 } as const;
export type Unit = keyof typeof UNITS;

/** Three significant figures, without exponent notation for the sizes seen here. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/**
 * 'min / median / max unit' of a timing.
 *
 * @example
 * formatSpan(summarize([0.01, 0.012, 0.02]), 'ms'); // '10.0 / 12.0 / 20.0 ms'
 */
export function formatSpan(t: Timing, unit: Unit = 's'): string {
  const k = UNITS[unit];
  return `${fmt(t.min * k)} / ${fmt(t.median * k)} / ${fmt(t.max * k)} ${unit}`;
}

/**
 * Median ratio ours / reference as 'N.NN×' (above 1: we are slower).
 *
 * @example
 * formatRatio(summarize([2]), summarize([1])); // '2.00×'
 */
export function formatRatio(ours: Timing, reference: Timing): string {
  return `${(ours.median / reference.median).toFixed(2)}×`;
}

/** One table of RESULTS.md: a title, a header, rows of cells, and notes under it. */
export interface ResultTable {
  title: string;
  header: string[];
  rows: string[][];
  notes: string[];
}

/**
 * A table as GitHub markdown, notes as a list below it.
 *
 * @example
 * renderTable({ title: 'Row 1', header: ['a'], rows: [['1']], notes: [] });
 */
export function renderTable(t: ResultTable): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const out = [`### ${t.title}`, '', line(t.header), line(t.header.map(() => '---')), ...t.rows.map(line)];
  if (t.notes.length) out.push('', ...t.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

/** The outcome of a Python reference run: its last stdout line parsed as JSON, or why not. */
export type PythonResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Runs `PYTHON script args...` and parses the JSON object on its last stdout line.
 *
 * @example
 * const r = runPython<{ step_s: number[] }>('bench/train/reference.py', ['--model', 'mlp']);
 * if (r.ok) console.log(r.value.step_s);
 */
export function runPython<T>(script: string, args: string[], timeoutMs = 600_000): PythonResult<T> {
  if (!fs.existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found` };
  const py = spawnSync(PYTHON, [script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (py.error) return { ok: false, reason: `${path.basename(script)}: ${py.error.message}` };
  if (py.status !== 0) {
    const err = py.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
    return { ok: false, reason: `${path.basename(script)} exited ${py.status}: ${err}` };
  }
  const last = py.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ok: true, value: JSON.parse(last) as T };
  } catch {
    return { ok: false, reason: `${path.basename(script)} printed no JSON line (last: ${last.slice(0, 120)})` };
  }
}

/**
 * Which Python reference modules import (name → version, or null when missing).
 *
 * @example
 * pythonVersions(['torch', 'faiss']); // { torch: '1.13.0a0', faiss: '1.7.3' }
 */
export function pythonVersions(modules: string[]): Record<string, string | null> {
  const code =
    'import importlib, json, sys\nout = {}\nfor m in sys.argv[1:]:\n' +
    '    try:\n        out[m] = getattr(importlib.import_module(m), "__version__", "?")\n' +
    '    except Exception:\n        out[m] = None\nprint(json.dumps(out))';
  const py = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', code, ...modules], { encoding: 'utf8' }) : null;
  if (!py || py.status !== 0) return Object.fromEntries(modules.map((m) => [m, null]));
  return JSON.parse(py.stdout.trim()) as Record<string, string | null>;
}

/** The machine a benchmark ran on, for the RESULTS.md header. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
}

/**
 * CPU model (from /proc/cpuinfo when readable), logical cores, memory and OS.
 *
 * @example
 * machineInfo().cpu; // 'AMD EPYC'
 */
export function machineInfo(): MachineInfo {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // Not Linux: os.cpus() said it.
  }
  return {
    cpu,
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
  };
}
