/**
 * Human-readable run reports: the progress line per notebook and the failure report, which
 * names the notebook, the cell number, the cell's first lines and the error text. ANSI codes
 * (Python tracebacks are coloured) are kept only when writing to a terminal.
 */
import {
  isCellExecutionError,
  isCellTimeoutError,
  isIopubTimeoutError,
  isKernelDiedError,
  isKernelStartError,
  isRunInterruptedError,
  sourcePreview,
  type ExitCode,
} from './errors';
import { stripAnsi } from './outputs';
import type { RunResult } from './run-notebook';

const STATUS: Record<ExitCode, string> = {
  0: 'ok',
  1: 'FAILED (cell error)',
  2: 'FAILED (bad input or unwritable output)',
  3: 'FAILED (kernel died, timed out or lost output)',
  130: 'STOPPED (SIGINT)',
  143: 'STOPPED (SIGTERM)',
};

/**
 * One line per finished notebook.
 *
 * @example
 * progressLine(result, 2, 4); // '[2/4] notebooks/01-intro.ipynb: ok, 14 cells in 12.3 s -> out/notebooks/01-intro.ipynb'
 */
export function progressLine(result: RunResult, index: number, total: number): string {
  const where = result.outputPath ? ` -> ${result.outputPath}` : '';
  return `[${index}/${total}] ${result.notebookPath}: ${STATUS[result.exitCode]}, ${result.cellsRun} cells in ${result.seconds.toFixed(1)} s${where}`;
}

function indent(text: string, pad = '    '): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/**
 * The failure report of a run ('' when it succeeded).
 *
 * @example
 * if (result.error) console.error(formatFailure(result, { color: process.stderr.isTTY }));
 */
export function formatFailure(result: RunResult, { color = false }: { color?: boolean } = {}): string {
  const e = result.error;
  if (!e) return '';
  const lines = [`${result.notebookPath}: ${e.name}`];
  const inCell =
    isCellExecutionError(e) ||
    isCellTimeoutError(e) ||
    isIopubTimeoutError(e) ||
    ((isKernelDiedError(e) || isRunInterruptedError(e)) && e.cellIndex >= 0);
  if (inCell) {
    lines.push(`  in cell ${e.cellIndex + 1}:`, indent(sourcePreview(e.source)));
  }
  if (isCellExecutionError(e)) {
    lines.push(`  ${e.ename}: ${e.evalue}`);
    const tb = e.traceback.join('\n').trim();
    if (tb) lines.push(indent(tb.split('\n').slice(0, 20).join('\n')));
  } else {
    lines.push(`  ${e.message}`);
  }
  // A kernel that dies or fails to start usually says why on stderr.
  if ((isKernelDiedError(e) || isKernelStartError(e)) && e.stderrTail.trim()) {
    lines.push('  kernel output (last lines):', indent(e.stderrTail.trim().split('\n').slice(-10).join('\n')));
  }
  if (result.outputPath) lines.push(`  partial notebook written to ${result.outputPath}`);
  const text = lines.join('\n');
  return color ? text : stripAnsi(text);
}
