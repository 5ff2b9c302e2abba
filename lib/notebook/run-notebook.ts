/**
 * runNotebook: read and validate, inject parameters, check that the output can be written (and
 * is not the input), start the kernel in the notebook's folder, execute the cells in order,
 * save (throttled while outputs stream, at each cell's end, at exit), shut the kernel down in
 * `finally`. An abort signal (SIGINT/SIGTERM in the CLI) interrupts the running cell, marks it,
 * stops the kernel and saves. Failures come back as values (`result.error`, with type guards
 * in errors.ts), after the partial run is saved.
 */
import * as path from 'path';
import {
  CellExecutionError,
  CellTimeoutError,
  IopubTimeoutError,
  KernelDiedError,
  KernelStartError,
  exitCodeFor,
  type ExitCode,
  isNotebookFormatError,
  OutputWriteError,
  RunInterruptedError,
  type RunError,
} from './errors';
import { executeCell, type CellStatus } from './executor';
import { Kernel } from './kernel';
import { findKernelSpec, isNoSuchKernelError, type KernelSpec } from './kernelspec';
import { cellTags, readNotebook, type Notebook, type NotebookCell } from './nbformat';
import { OutputCollector } from './outputs';
import { NotebookSaver, sameFile, writeProblem } from './saver';
import { injectParameters, type ParameterValue } from './parameters';
import type { JupyterMessage } from './wire';

export interface CellEvent {
  notebookPath: string;
  cellIndex: number;
  cell: NotebookCell;
}

export interface RunHooks {
  onCellStart?: (e: CellEvent) => void;
  onCellDone?: (e: CellEvent & { status: CellStatus; seconds: number }) => void;
  onError?: (e: { notebookPath: string; error: RunError }) => void;
  /** Every iopub message that changed a cell's outputs (for --log-output). */
  onOutput?: (e: CellEvent & { msg: JupyterMessage }) => void;
}

export interface RunOptions extends RunHooks {
  /** Where to write the executed notebook; null: do not write. Ignored with `inplace`. */
  outputPath?: string | null;
  /** Write back into the input file. */
  inplace?: boolean;
  /** Values for the papermill-style injected-parameters cell. */
  parameters?: Record<string, ParameterValue>;
  /** Per-cell timeout in seconds (0: none). */
  timeout?: number;
  /** Seconds to wait for the kernel to start. Default 60. */
  startupTimeout?: number;
  /** Keep going after a cell error (the error is recorded in the notebook). */
  allowErrors?: boolean;
  /** Seconds to wait for a cell's iopub 'idle' after its execute_reply (default 10). */
  iopubTimeout?: number;
  /** Aborting it with reason 'SIGINT' or 'SIGTERM' stops the run (the running cell is interrupted). */
  signal?: AbortSignal;
  /** Files the output must not overwrite besides the notebook itself (the other inputs of a batch). */
  protectedPaths?: string[];
  /** Kernel to use instead of the notebook's metadata.kernelspec.name. */
  kernelName?: string;
  /** Receives what the kernel process itself prints (outside cells). */
  onKernelOutput?: (text: string) => void;
}

export interface RunResult {
  notebookPath: string;
  /** Where the executed notebook was written, or null. */
  outputPath: string | null;
  notebook: Notebook | null;
  error: RunError | null;
  exitCode: ExitCode;
  seconds: number;
  /** Cells executed (not counting skipped ones). */
  cellsRun: number;
  /** Messages dropped for a bad signature during the run. */
  rejectedMessages: number;
  /** Times the output notebook was written. */
  saves: number;
}

function kernelNameOf(nb: Notebook): string | undefined {
  const ks = nb.metadata.kernelspec as { name?: unknown } | undefined;
  return typeof ks?.name === 'string' ? ks.name : undefined;
}

function languageOf(nb: Notebook, spec: KernelSpec): string {
  const li = nb.metadata.language_info as { name?: unknown } | undefined;
  return (spec.language || (typeof li?.name === 'string' ? li.name : '') || 'typescript').toLowerCase();
}

function prepare(nb: Notebook): void {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    cell.outputs = [];
    cell.execution_count = null;
    delete cell.metadata.execution;
    delete cell.metadata.metriclab;
  }
}

/**
 * Executes a notebook headless.
 *
 * @example
 * const result = await runNotebook('notebooks/01-intro.ipynb', {
 *   outputPath: 'out/notebooks/01-intro.ipynb',
 *   parameters: { profile: 'quick' },
 *   timeout: 600,
 *   onCellDone: (e) => console.log(`cell ${e.cellIndex + 1}: ${e.status}`),
 * });
 * if (result.error) console.error(formatFailure(result));
 */
export async function runNotebook(notebookPath: string, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const outputPath = options.inplace ? notebookPath : (options.outputPath ?? null);
  const result: RunResult = {
    notebookPath,
    // Set once something is written, so a report never points at a file that does not exist.
    outputPath: null,
    notebook: null,
    error: null,
    exitCode: 0,
    seconds: 0,
    cellsRun: 0,
    rejectedMessages: 0,
    saves: 0,
  };
  const finish = (error: RunError | null): RunResult => {
    result.error = error;
    result.exitCode = exitCodeFor(error);
    result.seconds = (Date.now() - started) / 1000;
    if (error) options.onError?.({ notebookPath, error });
    return result;
  };

  let nb: Notebook;
  let spec: KernelSpec;
  try {
    nb = readNotebook(notebookPath);
    spec = findKernelSpec(options.kernelName ?? kernelNameOf(nb));
    nb = injectParameters(nb, options.parameters ?? {}, languageOf(nb, spec));
  } catch (e) {
    if (isNotebookFormatError(e) || isNoSuchKernelError(e)) return finish(e);
    throw e;
  }
  if (outputPath) {
    const problem = outputProblem(notebookPath, outputPath, options);
    if (problem) return finish(new OutputWriteError(notebookPath, outputPath, problem));
  }
  prepare(nb);
  result.notebook = nb;
  const saver = outputPath ? new NotebookSaver(outputPath, () => nb) : null;
  const save = async (): Promise<void> => {
    if (!saver) return;
    await saver.flush();
    result.saves = saver.writes;
    if (saver.writes > 0) result.outputPath = outputPath;
  };
  if (options.signal?.aborted) return finish(new RunInterruptedError(notebookPath, -1, '', signalOf(options)));

  let kernel: Kernel;
  try {
    kernel = await Kernel.start(spec, {
      cwd: path.dirname(path.resolve(notebookPath)),
      startupTimeout: options.startupTimeout,
      onProcessOutput: options.onKernelOutput,
    });
  } catch (e) {
    if (e instanceof KernelStartError) {
      await save();
      return finish(saver?.error ? writeFailed(saver.error) : e);
    }
    throw e;
  }

  function writeFailed(error: Error): OutputWriteError {
    return new OutputWriteError(notebookPath, outputPath ?? '', `a save failed: ${error.message}`);
  }

  let error: RunError | null = null;
  try {
    if (kernel.info.language_info) nb.metadata.language_info = kernel.info.language_info;
    if (!nb.metadata.kernelspec) {
      nb.metadata.kernelspec = { name: spec.name, display_name: spec.display_name, language: spec.language };
    }
    error = await runCells(nb, kernel, notebookPath, options, result, saver);
  } finally {
    result.rejectedMessages = kernel.client.rejected;
    await kernel.shutdown();
    await save();
  }
  // A failed save outranks a later cell problem: the notebook on disk is not what ran.
  return finish(saver?.error ? writeFailed(saver.error) : error);
}

/** The signal that aborted the run (the abort reason the CLI gives). */
function signalOf(options: RunOptions): 'SIGINT' | 'SIGTERM' {
  return options.signal?.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
}

/** Why the output cannot be used: it is an input, or it cannot be written. Null when fine. */
function outputProblem(notebookPath: string, outputPath: string, options: RunOptions): string | null {
  if (!options.inplace) {
    const input = [notebookPath, ...(options.protectedPaths ?? [])].find((p) => sameFile(outputPath, p));
    if (input) return `it is the input notebook ${input} (use --inplace to write into the input)`;
  }
  return writeProblem(outputPath);
}

/** The cell loop; returns the error that ended the run, or null. */
async function runCells(
  nb: Notebook,
  kernel: Kernel,
  notebookPath: string,
  options: RunOptions,
  result: RunResult,
  saver: NotebookSaver | null,
): Promise<RunError | null> {
  const collector = new OutputCollector();
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i];
    const tags = cellTags(cell);
    if (cell.cell_type !== 'code' || cell.source.trim() === '' || tags.includes('skip-execution')) continue;
    if (options.signal?.aborted) return new RunInterruptedError(notebookPath, -1, '', signalOf(options));
    const event = { notebookPath, cellIndex: i, cell };
    options.onCellStart?.(event);
    const t0 = Date.now();
    const outcome = await executeCell(kernel, collector, cell, {
      timeout: options.timeout ?? 0,
      iopubTimeout: options.iopubTimeout,
      signal: options.signal,
      onOutput: (msg) => {
        options.onOutput?.({ ...event, msg });
        saver?.request();
      },
    });
    result.cellsRun++;
    const expected = tags.includes('raises-exception');
    cell.metadata.metriclab = {
      status: outcome.status,
      ...(outcome.error ? { exception: { ename: outcome.error.ename, evalue: outcome.error.evalue } } : {}),
    };
    await saver?.flush();
    if (saver) result.saves = saver.writes;
    if (saver?.writes) result.outputPath = saver.file;
    options.onCellDone?.({ ...event, status: outcome.status, seconds: (Date.now() - t0) / 1000 });
    if (saver?.error) return null; // reported by the caller as an OutputWriteError
    const err = outcome.error;
    switch (outcome.status) {
      case 'ok':
      case 'skipped':
        break;
      case 'error':
        if (!expected && !options.allowErrors && err) {
          return new CellExecutionError(notebookPath, i, cell.source, err.ename, err.evalue, err.traceback);
        }
        break;
      case 'timeout':
        return new CellTimeoutError(notebookPath, i, cell.source, options.timeout ?? 0, !!outcome.interrupted);
      case 'lost':
        return new IopubTimeoutError(notebookPath, i, cell.source, outcome.detail ?? 'output was lost');
      case 'interrupted':
        return new RunInterruptedError(notebookPath, i, cell.source, signalOf(options));
      case 'died': {
        const exit = kernel.process.exit;
        return new KernelDiedError(
          notebookPath,
          i,
          cell.source,
          exit?.code ?? null,
          exit?.signal ?? null,
          kernel.process.outputTail,
        );
      }
    }
  }
  return null;
}
