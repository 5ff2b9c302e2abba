/**
 * What can go wrong running a notebook, as classes with fields a report (or a test) can read,
 * and type guards. Each maps to one CLI exit code: 1 a cell failed, 2 bad input (or an output
 * that cannot be written), 3 the kernel died, would not start, lost messages, or a cell timed
 * out; 130/143 the run was stopped by SIGINT/SIGTERM.
 */
import { isNoSuchKernelError, type NoSuchKernelError } from './kernelspec';

/** The first `n` lines of a cell's source, for reports. */
export function sourcePreview(source: string, n = 3): string {
  const lines = source.split('\n');
  return lines.slice(0, n).join('\n') + (lines.length > n ? '\n…' : '');
}

/** The notebook file cannot be read as nbformat 4 (bad JSON, wrong version, bad cells). */
export class NotebookFormatError extends Error {
  constructor(
    readonly notebookPath: string,
    readonly detail: string,
  ) {
    super(`Error in readNotebook: ${notebookPath} must be an nbformat 4 notebook, but ${detail}`);
    this.name = 'NotebookFormatError';
  }
}

/** A cell raised an error (and neither --allow-errors nor the `raises-exception` tag allowed it). */
export class CellExecutionError extends Error {
  constructor(
    readonly notebookPath: string,
    /** 0-based index among all cells. */
    readonly cellIndex: number,
    readonly source: string,
    readonly ename: string,
    readonly evalue: string,
    readonly traceback: string[],
  ) {
    super(`${ename}: ${evalue}`);
    this.name = 'CellExecutionError';
  }
}

/** A cell ran past its timeout; the kernel was interrupted (or, if that failed, killed). */
export class CellTimeoutError extends Error {
  constructor(
    readonly notebookPath: string,
    readonly cellIndex: number,
    readonly source: string,
    readonly timeoutSeconds: number,
    /** Whether the interrupt stopped the cell; false means the kernel had to be killed. */
    readonly interrupted: boolean,
  ) {
    super(
      `cell ${cellIndex + 1} timed out after ${timeoutSeconds} s` +
        (interrupted ? ' (interrupted)' : ' (the interrupt did not stop it; kernel killed)'),
    );
    this.name = 'CellTimeoutError';
  }
}

/** The kernel process exited or stopped answering its heartbeat while a cell ran. */
export class KernelDiedError extends Error {
  constructor(
    readonly notebookPath: string,
    /** The cell running when it died, or -1 outside a cell. */
    readonly cellIndex: number,
    readonly source: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    /** The end of the kernel's own stderr, which usually says why. */
    readonly stderrTail: string,
  ) {
    super(
      `the kernel died` +
        (cellIndex >= 0 ? ` while running cell ${cellIndex + 1}` : '') +
        (exitCode !== null ? ` (exit code ${exitCode})` : signal ? ` (signal ${signal})` : ''),
    );
    this.name = 'KernelDiedError';
  }
}

/** The kernel did not come up (bad command, crash at start-up, or no reply within the start-up timeout). */
export class KernelStartError extends Error {
  constructor(
    readonly kernelName: string,
    readonly detail: string,
    readonly stderrTail: string,
  ) {
    super(`Error in startKernel: kernel '${kernelName}' did not start: ${detail}`);
    this.name = 'KernelStartError';
  }
}

/**
 * A cell's execute_reply came but its iopub stream did not end (no 'idle' status) within the
 * iopub timeout, or the iopub reader failed: outputs were lost, so the run cannot be trusted.
 */
export class IopubTimeoutError extends Error {
  constructor(
    readonly notebookPath: string,
    readonly cellIndex: number,
    readonly source: string,
    /** What was missing or failed. */
    readonly detail: string,
  ) {
    super(`cell ${cellIndex + 1}: ${detail}`);
    this.name = 'IopubTimeoutError';
  }
}

/** The executed notebook cannot be written (unwritable place, or the output is an input). */
export class OutputWriteError extends Error {
  constructor(
    readonly notebookPath: string,
    readonly outputPath: string,
    readonly detail: string,
  ) {
    super(`Error in runNotebook: cannot write the executed notebook to ${outputPath}: ${detail}`);
    this.name = 'OutputWriteError';
  }
}

/** The run was stopped by a signal (SIGINT, SIGTERM); the cell running then was interrupted. */
export class RunInterruptedError extends Error {
  constructor(
    readonly notebookPath: string,
    /** The cell running when the signal came, or -1 between cells. */
    readonly cellIndex: number,
    readonly source: string,
    readonly signal: 'SIGINT' | 'SIGTERM',
  ) {
    super(`stopped by ${signal}` + (cellIndex >= 0 ? ` while cell ${cellIndex + 1} ran (marked interrupted)` : ''));
    this.name = 'RunInterruptedError';
  }
}

export function isNotebookFormatError(e: unknown): e is NotebookFormatError {
  return e instanceof NotebookFormatError;
}
export function isCellExecutionError(e: unknown): e is CellExecutionError {
  return e instanceof CellExecutionError;
}
export function isCellTimeoutError(e: unknown): e is CellTimeoutError {
  return e instanceof CellTimeoutError;
}
export function isKernelDiedError(e: unknown): e is KernelDiedError {
  return e instanceof KernelDiedError;
}
export function isKernelStartError(e: unknown): e is KernelStartError {
  return e instanceof KernelStartError;
}

export function isIopubTimeoutError(e: unknown): e is IopubTimeoutError {
  return e instanceof IopubTimeoutError;
}
export function isOutputWriteError(e: unknown): e is OutputWriteError {
  return e instanceof OutputWriteError;
}
export function isRunInterruptedError(e: unknown): e is RunInterruptedError {
  return e instanceof RunInterruptedError;
}

/** The errors a notebook run ends with. */
export type RunError =
  | NotebookFormatError
  | NoSuchKernelError
  | OutputWriteError
  | CellExecutionError
  | CellTimeoutError
  | IopubTimeoutError
  | KernelDiedError
  | KernelStartError
  | RunInterruptedError;

/** 0 ok, 1 a cell failed, 2 bad input, 3 kernel trouble, 130/143 stopped by SIGINT/SIGTERM. */
export type ExitCode = 0 | 1 | 2 | 3 | 130 | 143;

/**
 * The CLI exit code for a run's outcome (see ExitCode).
 *
 * @example
 * exitCodeFor(null); // 0
 */
export function exitCodeFor(error: RunError | null): ExitCode {
  if (error === null) return 0;
  if (isCellExecutionError(error)) return 1;
  if (isNotebookFormatError(error) || isNoSuchKernelError(error) || isOutputWriteError(error)) return 2;
  if (isRunInterruptedError(error)) return error.signal === 'SIGINT' ? 130 : 143;
  return 3;
}
