/**
 * `metriclab run [options] NOTEBOOK...`: executes notebooks headless through lib/notebook.
 * Exit codes: 0 ok, 1 a cell failed, 2 usage or bad input, 3 kernel died or timed out
 * (the worst over all notebooks).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from './main';
import { writeJunit } from '../notebook/junit';
import { writeRunSite } from '../notebook/html';
import { parseParameterValue, type ParameterValue } from '../notebook/parameters';
import { formatFailure, progressLine } from '../notebook/report';
import { runNotebooks } from '../notebook/run-many';
import type { RunResult } from '../notebook/run-notebook';

export const USAGE = `Usage: metriclab run [options] NOTEBOOK...

Executes notebooks headless (tslab, or the kernel named in each notebook's metadata) and writes
the executed copies. The input is never modified unless --inplace.

Options:
  -p, --parameter NAME VALUE  set a parameter (papermill convention: a cell tagged
                              'injected-parameters' after the cell tagged 'parameters');
                              VALUE is JSON if it parses (5, true, [1,2]), else a string
  --timeout SECONDS           per-cell timeout; on expiry the kernel is interrupted (default: none)
  --startup-timeout SECONDS   wait this long for the kernel to start (default 60)
  --allow-errors              record cell errors and keep going
  --jobs N                    notebooks run in parallel (default 1)
  --out DIR                   where executed notebooks go (default out/notebooks)
  --inplace                   write outputs back into the input notebooks
  --junit FILE                write a JUnit XML report (one testcase per notebook)
  --html DIR                  write a static HTML page per notebook plus index.html
  --log-output                print cell output as it arrives
  --kernel NAME               use this kernel instead of the notebook's kernelspec
  -h, --help                  show this help

Exit codes: 0 ok, 1 a cell failed, 2 usage or bad input, 3 kernel died or timed out.`;

export interface RunArgs {
  notebooks: string[];
  parameters: Record<string, ParameterValue>;
  timeout: number;
  startupTimeout: number;
  allowErrors: boolean;
  jobs: number;
  out: string | null;
  inplace: boolean;
  junit: string | null;
  html: string | null;
  logOutput: boolean;
  kernel: string | null;
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
    startupTimeout: 60,
    allowErrors: false,
    jobs: 1,
    out: null,
    inplace: false,
    junit: null,
    html: null,
    logOutput: false,
    kernel: null,
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
        a.parameters[name] = parseParameterValue(value(++i, `${arg} ${name}`));
        break;
      }
      case '--timeout':
        a.timeout = positiveNumber(arg, args[++i]);
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
    const names = a.notebooks.map((n) => path.basename(n));
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw new UsageError(`two notebooks are named '${dup}'; they would overwrite each other in ${a.out}`);
  }
  return a;
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

/** Runs notebooks for an already-parsed command line; resolves with the exit code. */
export async function runWithArgs(a: RunArgs, io: Io = processIo): Promise<{ code: number; results: RunResult[] }> {
  const results = await runNotebooks(a.notebooks, {
    jobs: a.jobs,
    outDir: a.inplace ? null : a.out,
    inplace: a.inplace,
    parameters: a.parameters,
    timeout: a.timeout,
    startupTimeout: a.startupTimeout,
    allowErrors: a.allowErrors,
    kernelName: a.kernel ?? undefined,
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
  if (a.junit) writeJunit(a.junit, results);
  if (a.html) {
    io.out(`HTML: ${await writeRunSite(a.html, results)}
`);
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
  for (const nb of parsed.notebooks) {
    if (!fs.existsSync(nb)) {
      io.err(`metriclab run: no such notebook: ${nb}\n`);
      return 2;
    }
  }
  return (await runWithArgs(parsed, io)).code;
}

export const command: Command = {
  summary: 'execute notebooks headless (Jupyter protocol, no nbconvert); HTML and JUnit reports',
  run: (args) => runCli(args),
};
