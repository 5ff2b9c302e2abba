/**
 * `metriclab run [options] NOTEBOOK|FOLDER...`: executes notebooks headless through lib/notebook.
 * Exit codes: 0 ok, 1 a cell failed, 2 usage, bad input or unwritable output, 3 kernel died,
 * timed out or lost output (the worst over all notebooks); 130/143 stopped by SIGINT/SIGTERM.
 * On SIGINT/SIGTERM the running cells are interrupted and marked, the kernels stopped, the
 * partial notebooks saved; a second signal exits at once (kernels are still killed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { defineCommand, helpText, parseCommandLine, UsageError, type OptionSpecs, type ParsedValues } from './harness';
import { writeJunit } from '../notebook/junit';
import { writeRunSite } from '../notebook/html';
import { findKernelSpec, isNoSuchKernelError } from '../notebook/kernelspec';
import { isParameterName, parseParameterValue, type ParameterValue } from '../notebook/parameters';
import { formatFailure, progressLine } from '../notebook/report';
import { runNotebooks, shardOf } from '../notebook/run-many';
import { sameFile } from '../notebook/saver';
import type { RunResult } from '../notebook/run-notebook';

/** The options of `metriclab run`; the parser and --help are both made from this table. */
export const RUN_OPTIONS = {
  parameter: {
    type: 'string',
    short: 'p',
    pair: true,
    value: 'NAME VALUE',
    help: "set a parameter (papermill convention: a cell tagged 'injected-parameters'\nafter the cell tagged 'parameters'); VALUE is JSON if it parses\n(5, true, [1,2]), else a string",
  },
  timeout: {
    type: 'string',
    value: 'SECONDS',
    help: 'per-cell timeout; on expiry the kernel is interrupted (default: none)',
  },
  'iopub-timeout': {
    type: 'string',
    value: 'SECONDS',
    help: "after a cell's reply, wait this long for its output to end\n(default 10); then the cell fails: output was lost",
  },
  'startup-timeout': { type: 'string', value: 'SECONDS', help: 'wait this long for the kernel to start (default 60)' },
  'allow-errors': { type: 'boolean', help: 'record cell errors and keep going' },
  jobs: { type: 'string', value: 'N', help: 'notebooks run in parallel (default 1)' },
  out: { type: 'string', value: 'DIR', help: 'where executed notebooks go (default out/notebooks)' },
  inplace: { type: 'boolean', help: 'write outputs back into the input notebooks' },
  junit: { type: 'string', value: 'FILE', help: 'write a JUnit XML report (one testcase per notebook)' },
  shard: {
    type: 'string',
    value: 'K/N',
    help: 'run only shard K of N (notebooks sorted by path, every N-th from\nthe K-th): one CI matrix job per shard, each with its own --junit',
  },
  html: { type: 'string', value: 'DIR', help: 'write a static HTML page per notebook plus index.html' },
  'log-output': { type: 'boolean', help: 'print cell output as it arrives' },
  kernel: { type: 'string', value: 'NAME', help: "use this kernel instead of the notebook's kernelspec" },
} as const satisfies OptionSpecs;

const RUN_SPEC = {
  name: 'run',
  summary: 'execute notebooks headless (Jupyter protocol, no nbconvert); HTML and JUnit reports',
  synopsis: '[options] NOTEBOOK|FOLDER...',
  description: `Executes notebooks headless (tslab, or the kernel named in each notebook's metadata) and writes
the executed copies. A FOLDER stands for the .ipynb files in it. The input is never modified
unless --inplace: an output path that is an input is refused.`,
  options: RUN_OPTIONS,
  positionals: true,
  epilog: () => `Exit codes: 0 ok, 1 a cell failed, 2 usage, bad input or unwritable output, 3 kernel died,
timed out or lost output, 130/143 stopped by SIGINT/SIGTERM (cells interrupted, kernels
stopped, partial notebooks written). Progress lines go to stdout, failures to stderr.`,
};

/** The --help text of `metriclab run`. */
export const USAGE = helpText({ ...RUN_SPEC, run: async () => 0 }, RUN_SPEC.epilog());

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

const CMD = 'metriclab run';

function positiveNumber(flag: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(CMD, flag, `be a positive ${integer ? 'integer' : 'number'}`, value);
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
  const { values, positionals } = parseCommandLine(CMD, RUN_OPTIONS, args, true);
  return runArgsFrom(values, positionals);
}

/** The checked arguments from the parsed option values and notebooks. */
function runArgsFrom(values: ParsedValues<typeof RUN_OPTIONS>, positionals: string[]): RunArgs {
  const parameters: Record<string, ParameterValue> = {};
  for (const [name, value] of values.parameter ?? []) {
    if (!isParameterName(name)) throw new UsageError(CMD, '-p NAME', 'be an identifier', `'${name}'`);
    parameters[name] = parseParameterValue(value);
  }
  const a: RunArgs = {
    notebooks: positionals,
    parameters,
    timeout: positiveNumber('--timeout', values.timeout) ?? 0,
    iopubTimeout: positiveNumber('--iopub-timeout', values['iopub-timeout']) ?? 10,
    startupTimeout: positiveNumber('--startup-timeout', values['startup-timeout']) ?? 60,
    allowErrors: !!values['allow-errors'],
    jobs: positiveNumber('--jobs', values.jobs, true) ?? 1,
    out: values.out ?? null,
    inplace: !!values.inplace,
    junit: values.junit ?? null,
    html: values.html ?? null,
    logOutput: !!values['log-output'],
    kernel: values.kernel ?? null,
    shard: values.shard === undefined ? null : parseShard(values.shard),
  };
  if (a.notebooks.length === 0) throw new UsageError(CMD, 'NOTEBOOK', 'be given (a notebook or folder)', 'nothing');
  if (a.inplace && a.out) throw new UsageError(CMD, '--inplace', 'not be used with --out', `--out ${a.out}`);
  if (!a.inplace) {
    a.out ??= path.join('out', 'notebooks');
    checkDistinctNames(a.notebooks, a.out);
  }
  return a;
}

function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [k, n] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(n >= 1 && k >= 1 && k <= n)) throw new UsageError(CMD, '--shard', 'be K/N with 1 <= K <= N', text);
  return [k, n];
}

function checkDistinctNames(notebooks: string[], out: string): void {
  const names = notebooks.map((n) => path.basename(n));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UsageError(CMD, 'NOTEBOOK', `have distinct names (they all go to ${out})`, `two named '${dup}'`);
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
    if (!fs.existsSync(nb)) throw new UsageError(CMD, 'NOTEBOOK', 'exist', `no such notebook: ${nb}`);
    if (fs.statSync(nb).isDirectory()) {
      const found = fs
        .readdirSync(nb)
        .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
        .sort()
        .map((f) => path.join(nb, f));
      if (found.length === 0) throw new UsageError(CMD, 'FOLDER', 'hold .ipynb notebooks', `none in ${nb}`);
      notebooks.push(...found);
    } else notebooks.push(nb);
  }
  const chosen = a.shard ? shardOf(notebooks, a.shard[0], a.shard[1]) : notebooks;
  if (a.kernel) {
    try {
      findKernelSpec(a.kernel);
    } catch (e) {
      if (isNoSuchKernelError(e)) throw new UsageError(CMD, '--kernel', 'name an installed kernelspec', e.message);
      throw e;
    }
  }
  if (!a.inplace && a.out) {
    checkDistinctNames(chosen, a.out);
    for (const nb of chosen) {
      const out = path.join(a.out, path.basename(nb));
      const input = notebooks.find((i) => sameFile(out, i));
      if (input) {
        throw new UsageError(
          CMD,
          '--out',
          'not overwrite an input (choose another folder or --inplace)',
          `${a.out}, which holds ${input}`,
        );
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

/**
 * The whole `metriclab run` command (parse + run), with injectable output for tests.
 *
 * @example
 * await runCli(['--help']); // 0, with the options on stdout
 */
export async function runCli(args: string[], io: Io = processIo): Promise<number> {
  return command.run(args, io);
}

/** `metriclab run`, made by the CLI harness from RUN_OPTIONS. */
export const command = defineCommand({
  ...RUN_SPEC,
  async run(parsed, cliIo) {
    // The harness hands back the io it was given: runCli's carries `color`.
    const io: Io = { color: processIo.color, ...cliIo };
    const a = resolveRunArgs(runArgsFrom(parsed.values, parsed.positionals));
    if (a.notebooks.length === 0) {
      io.out(`metriclab run: shard ${a.shard?.join('/')} has no notebooks\n`);
      if (a.junit) writeJunit(a.junit, [], `metriclab run (shard ${a.shard?.join('/')})`);
      return 0;
    }
    return (await runWithArgs(a, io)).code;
  },
});
