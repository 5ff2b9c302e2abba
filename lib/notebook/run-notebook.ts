/**
 * runNotebook: read, inject parameters, start the kernel in the notebook's folder, execute the
 * cells in order, write after every cell, shut the kernel down in `finally`. Failures come back
 * as values (`result.error`, with type guards in errors.ts), after the partial run is saved.
 */
import * as path from 'path';
import {
  CellExecutionError,
  CellTimeoutError,
  KernelDiedError,
  KernelStartError,
  exitCodeFor,
  isNotebookFormatError,
  type RunError,
} from './errors';
import { executeCell, type CellStatus } from './executor';
import { Kernel } from './kernel';
import { findKernelSpec, isNoSuchKernelError, type KernelSpec } from './kernelspec';
import { cellTags, readNotebook, writeNotebook, type Notebook, type NotebookCell } from './nbformat';
import { OutputCollector } from './outputs';
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
  exitCode: 0 | 1 | 2 | 3;
  seconds: number;
  /** Cells executed (not counting skipped ones). */
  cellsRun: number;
  /** Messages dropped for a bad signature during the run. */
  rejectedMessages: number;
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
    if (isNotebookFormatError(e)) return finish(e);
    if (isNoSuchKernelError(e)) return finish(new KernelStartError(e.kernelName, e.message, ''));
    throw e;
  }
  prepare(nb);
  result.notebook = nb;
  const save = (): void => {
    if (!outputPath) return;
    writeNotebook(outputPath, nb);
    result.outputPath = outputPath;
  };

  let kernel: Kernel;
  try {
    kernel = await Kernel.start(spec, {
      cwd: path.dirname(path.resolve(notebookPath)),
      startupTimeout: options.startupTimeout,
      onProcessOutput: options.onKernelOutput,
    });
  } catch (e) {
    if (e instanceof KernelStartError) {
      save();
      return finish(e);
    }
    throw e;
  }

  try {
    if (kernel.info.language_info) nb.metadata.language_info = kernel.info.language_info;
    if (!nb.metadata.kernelspec) {
      nb.metadata.kernelspec = { name: spec.name, display_name: spec.display_name, language: spec.language };
    }
    const collector = new OutputCollector();
    for (let i = 0; i < nb.cells.length; i++) {
      const cell = nb.cells[i];
      const tags = cellTags(cell);
      if (cell.cell_type !== 'code' || cell.source.trim() === '' || tags.includes('skip-execution')) continue;
      const event = { notebookPath, cellIndex: i, cell };
      options.onCellStart?.(event);
      const t0 = Date.now();
      const outcome = await executeCell(kernel, collector, cell, {
        timeout: options.timeout ?? 0,
        onOutput: (msg) => {
          options.onOutput?.({ ...event, msg });
          save();
        },
      });
      result.cellsRun++;
      const expected = tags.includes('raises-exception');
      cell.metadata.metriclab = {
        status: outcome.status,
        ...(outcome.error ? { exception: { ename: outcome.error.ename, evalue: outcome.error.evalue } } : {}),
      };
      save();
      options.onCellDone?.({ ...event, status: outcome.status, seconds: (Date.now() - t0) / 1000 });
      const err = outcome.error;
      switch (outcome.status) {
        case 'ok':
        case 'skipped':
          break;
        case 'error':
          if (!expected && !options.allowErrors && err) {
            return finish(new CellExecutionError(notebookPath, i, cell.source, err.ename, err.evalue, err.traceback));
          }
          break;
        case 'timeout':
          return finish(
            new CellTimeoutError(notebookPath, i, cell.source, options.timeout ?? 0, !!outcome.interrupted),
          );
        case 'died': {
          const exit = kernel.process.exit;
          return finish(
            new KernelDiedError(
              notebookPath,
              i,
              cell.source,
              exit?.code ?? null,
              exit?.signal ?? null,
              kernel.process.outputTail,
            ),
          );
        }
      }
    }
    return finish(null);
  } finally {
    result.rejectedMessages = kernel.client.rejected;
    await kernel.shutdown();
    save();
  }
}
