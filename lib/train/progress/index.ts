/** Picks the progress display for a run. */
import { NotebookProgress, tslabNewDisplay } from './notebook';
import type { ProgressReporter, ProgressStream } from './reporter';
import { TerminalProgress } from './terminal';
import type { ProgressMode } from '../types';
import { checkOneOf } from '../../validate';

const MODES = ['auto', 'bar', 'notebook', 'lines', 'none'] as const;

const SILENT: ProgressReporter = { start() {}, step() {}, epochEnd() {}, end() {} };

/**
 * 'auto': a tslab display inside a notebook kernel, else a terminal bar when the stream is a
 * TTY, else one line per epoch. 'bar' on a non-TTY also falls back to per-epoch lines.
 *
 * @example
 * const reporter = createProgress('auto');
 */
export function createProgress(
  mode: ProgressMode | ProgressReporter = 'auto',
  stream: ProgressStream = process.stdout,
): ProgressReporter {
  if (typeof mode === 'object' && mode !== null) return mode;
  switch (checkOneOf('train', 'progress', mode, MODES)) {
    case 'none':
      return SILENT;
    case 'notebook':
      return new NotebookProgress();
    case 'bar':
      return new TerminalProgress({ stream });
    case 'lines':
      return new TerminalProgress({ stream: { write: (s) => stream.write(s), isTTY: false } });
    case 'auto':
      return tslabNewDisplay() ? new NotebookProgress() : new TerminalProgress({ stream });
  }
}

export { NotebookProgress, tslabNewDisplay, type TextDisplay, type NotebookProgressOptions } from './notebook';
export { TerminalProgress, type TerminalProgressOptions } from './terminal';
export type { ProgressReporter, ProgressStart, ProgressStep, ProgressStream, Clock } from './reporter';
export { formatDuration, stepLine, epochLine } from './format';
