/**
 * `metriclab run [options] NOTEBOOK|FOLDER...`: executes notebooks headless through lib/notebook.
 * Exit codes: 0 ok, 1 a cell failed, 2 usage, bad input or unwritable output, 3 kernel died,
 * timed out or lost output (the worst over all notebooks); 130/143 stopped by SIGINT/SIGTERM.
 * On SIGINT/SIGTERM the running cells are interrupted and marked, the kernels stopped, the
 * partial notebooks saved; a second signal exits at once (kernels are still killed).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from './main';
import { writeJunit } from '../notebook/junit';
import { writeRunSite } from '../notebook/html';
import { findKernelSpec, isNoSuchKernelError } from '../notebook/kernelspec';
import { isParameterName, parseParameterValue, type ParameterValue } from '../notebook/parameters';
import { formatFailure, progressLine } from '../notebook/report';
import { runNotebooks, shardOf } from '../notebook/run-many';
import { sameFile } from '../notebook/saver';
import type { RunResult } from '../notebook/run-notebook';

export const USAGE = `Usage: metriclab run [options] NOTEBOOK|FOLDER...

Executes notebooks headless (tslab, or the kernel named in each notebook's metadata) and writes
the executed copies. A FOLDER stands for the .ipynb files in it. The input is never modified
unless --inplace: an output path that is an input is refused.

Options:
  -p, --parameter NAME VALUE  set a parameter (papermill convention: a cell tagged
                              'injected-parameters' after the cell tagged 'parameters');
                              VALUE is JSON if it parses (5, true, [1,2]), else a string
  --timeout SECONDS           per-cell timeout; on expiry the kernel is interrupted (default: none)
  --iopub-timeout SECONDS     after a cell's reply, wait this long for its output to end
                              (default 10); then the cell fails: output was lost
  --startup-timeout SECONDS   wait this long for the kernel to start (default 60)
  --allow-errors              record cell errors and keep going
  --jobs N                    notebooks run in parallel (default 1)
  --out DIR                   where executed notebooks go (default out/notebooks)
  --inplace                   write outputs back into the input notebooks
  --junit FILE                write a JUnit XML report (one testcase per notebook)
  --shard K/N                 run only shard K of N (notebooks sorted by path, every N-th from
                              the K-th): one CI matrix job per shard, each with its own --junit
  --html DIR                  write a static HTML page per notebook plus index.html
  --log-output                print cell output as it arrives
  --kernel NAME               use this kernel instead of the notebook's kernelspec
  -h, --help                  show this help

Exit codes: 0 ok, 1 a cell failed, 2 usage, bad input or unwritable output, 3 kernel died,
timed out or lost output, 130/143 stopped by SIGINT/SIGTERM (cells interrupted, kernels
stopped, partial notebooks written).`;

export interface RunArgs {
  notebooks: string[];
  parameters: Record<string, ParameterValue>;
  timeout: number;
  iopubTimeout: number;
  startupTimeout: number;
  allowErrors: boolean;
  jobs: number;
  out: string | null;
  inplace: boolean;
  junit: string | null;
  html: string | null;
  logOutput: boolean;
  kernel: string | null;
  /** [k, n] for --shard k/n. */
  shard: [number, number] | null;
}

/** Thrown for bad command lines (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function positiveNumber(flag: string, value: string | undefined, integer = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, but got ${value ?? 'nothing'}`);
  }
  return n;
}

/**
 * Parses the command line of `metriclab run`.
 *
 * @example
 * parseRunArgs(['-p', 'profile', 'full', '--jobs', '2', 'a.ipynb']).parameters; // { profile: 'full' }
 */
export function parseRunArgs(args: string[]): RunArgs {
  const a: RunArgs = {
    notebooks: [],
    parameters: {},
    timeout: 0,
    iopubTimeout: 10,
    startupTimeout: 60,
    allowErrors: false,
    jobs: 1,
    out: null,
    inplace: false,
    junit: null,
    html: null,
    logOutput: false,
    kernel: null,
    shard: null,
  };
  const value = (i: number, flag: string): string => {
    const v = args[i];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    switch (arg) {
      case '-p':
      case '--parameter': {
        const name = value(++i, arg);
        if (!isParameterName(name)) {
          throw new UsageError(`${arg}: parameter names must be identifiers, but got '${name}'`);
        }
        a.parameters[name] = parseParameterValue(value(++i, `${arg} ${name}`));
        break;
      }
      case '--timeout':
        a.timeout = positiveNumber(arg, args[++i]);
        break;
      case '--iopub-timeout':
        a.iopubTimeout = positiveNumber(arg, args[++i]);
        break;
      case '--shard':
        a.shard = parseShard(value(++i, arg));
        break;
      case '--startup-timeout':
        a.startupTimeout = positiveNumber(arg, args[++i]);
        break;
      case '--jobs':
        a.jobs = positiveNumber(arg, args[++i], true);
        break;
      case '--allow-errors':
        a.allowErrors = true;
        break;
      case '--inplace':
        a.inplace = true;
        break;
      case '--log-output':
        a.logOutput = true;
        break;
      case '--out':
        a.out = value(++i, arg);
        break;
      case '--junit':
        a.junit = value(++i, arg);
        break;
      case '--html':
        a.html = value(++i, arg);
        break;
      case '--kernel':
        a.kernel = value(++i, arg);
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
        a.notebooks.push(arg);
    }
  }
  if (a.notebooks.length === 0) throw new UsageError('no notebook given');
  if (a.inplace && a.out) throw new UsageError('--inplace and --out cannot be used together');
  if (!a.inplace) {
    a.out ??= path.join('out', 'notebooks');
    checkDistinctNames(a.notebooks, a.out);
  }
  return a;
}

function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [k, n] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(n >= 1 && k >= 1 && k <= n)) throw new UsageError(`--shard must be K/N with 1 <= K <= N, but got ${text}`);
  return [k, n];
}

function checkDistinctNames(notebooks: string[], out: string): void {
  const names = notebooks.map((n) => path.basename(n));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UsageError(`two notebooks are named '${dup}'; they would overwrite each other in ${out}`);
}

/**
 * Checks a parsed command line against the file system: folders become their notebooks, the
 * shard is taken, every notebook exists, the kernel is known, no output path is an input.
 * Throws UsageError (exit 2) before anything runs.
 *
 * @example
 * resolveRunArgs(parseRunArgs(['notebooks', '--shard', '1/2'])).notebooks; // half of notebooks/*.ipynb
 */
export function resolveRunArgs(a: RunArgs): RunArgs {
  const notebooks: string[] = [];
  for (const nb of a.notebooks) {
    if (!fs.existsSync(nb)) throw new UsageError(`no such notebook: ${nb}`);
    if (fs.statSync(nb).isDirectory()) {
      const found = fs
        .readdirSync(nb)
        .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
        .sort()
        .map((f) => path.join(nb, f));
      if (found.length === 0) throw new UsageError(`the folder ${nb} holds no .ipynb notebooks`);
      notebooks.push(...found);
    } else notebooks.push(nb);
  }
  const chosen = a.shard ? shardOf(notebooks, a.shard[0], a.shard[1]) : notebooks;
  if (a.kernel) {
    try {
      findKernelSpec(a.kernel);
    } catch (e) {
      if (isNoSuchKernelError(e)) throw new UsageError(e.message);
      throw e;
    }
  }
  if (!a.inplace && a.out) {
    checkDistinctNames(chosen, a.out);
    for (const nb of chosen) {
      const out = path.join(a.out, path.basename(nb));
      const input = notebooks.find((i) => sameFile(out, i));
      if (input) {
        throw new UsageError(`--out ${a.out} would overwrite the input ${input}; choose another folder or --inplace`);
      }
    }
  }
  return { ...a, notebooks: chosen };
}

/** Where text goes; the CLI passes the process streams, tests pass collectors. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  color: !!process.stderr.isTTY,
};

/** Runs notebooks for an already-resolved command line; resolves with the exit code. */
export async function runWithArgs(a: RunArgs, io: Io = processIo): Promise<{ code: number; results: RunResult[] }> {
  const stop = new AbortController();
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stop.signal.aborted) {
      // A second signal: no more waiting. The exit hooks still kill every kernel group and
      // remove the connection files.
      io.err(`metriclab run: ${signal} again: exiting now\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    io.err(`metriclab run: ${signal}: interrupting running cells, stopping kernels, saving partial notebooks\n`);
    stop.abort(signal);
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  let results: RunResult[];
  try {
    results = await runNotebooks(a.notebooks, {
      jobs: a.jobs,
      outDir: a.inplace ? null : a.out,
      inplace: a.inplace,
      parameters: a.parameters,
      timeout: a.timeout,
      iopubTimeout: a.iopubTimeout,
      startupTimeout: a.startupTimeout,
      allowErrors: a.allowErrors,
      kernelName: a.kernel ?? undefined,
      signal: stop.signal,
      onOutput: a.logOutput
        ? ({ msg }) => {
            if (msg.header.msg_type === 'stream') {
              (msg.content.name === 'stderr' ? io.err : io.out)(String(msg.content.text ?? ''));
            }
          }
        : undefined,
      onNotebookDone: (r, done, total) => {
        io.out(progressLine(r, done, total) + '\n');
        if (r.error) io.err(formatFailure(r, { color: io.color }) + '\n');
      },
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
  if (a.junit) writeJunit(a.junit, results, a.shard ? `metriclab run (shard ${a.shard[0]}/${a.shard[1]})` : undefined);
  if (a.html) {
    io.out(`HTML: ${await writeRunSite(a.html, results)}\n`);
  }
  if (stop.signal.aborted) {
    const saved = results.filter((r) => r.outputPath).length;
    io.err(`metriclab run: stopped by ${String(stop.signal.reason)}; ${saved} partial notebook(s) written\n`);
  }
  return { code: Math.max(0, ...results.map((r) => r.exitCode)), results };
}

/** The whole `metriclab run` command (parse + run), with injectable output for tests. */
export async function runCli(args: string[], io: Io = processIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(USAGE + '\n');
    return 0;
  }
  let parsed: RunArgs;
  try {
    parsed = parseRunArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`metriclab run: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  try {
    parsed = resolveRunArgs(parsed);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`metriclab run: ${e.message}\n`);
    return 2;
  }
  if (parsed.notebooks.length === 0) {
    io.out(`metriclab run: shard ${parsed.shard?.join('/')} has no notebooks\n`);
    if (parsed.junit) writeJunit(parsed.junit, [], `metriclab run (shard ${parsed.shard?.join('/')})`);
    return 0;
  }
  return (await runWithArgs(parsed, io)).code;
}

export const command: Command = {
  summary: 'execute notebooks headless (Jupyter protocol, no nbconvert); HTML and JUnit reports',
  run: (args) => runCli(args),
};
