/**
 * Terminal progress: on a TTY one line redrawn with '\r' (at most every `intervalMs`), kept as
 * a summary line at each epoch end; elsewhere (CI logs, pipes) only the epoch summaries.
 */
import { endLine, epochLine, stepLine } from './format';
import {
  type Clock,
  type ProgressReporter,
  type ProgressStart,
  type ProgressStep,
  type ProgressStream,
  systemClock,
} from './reporter';
import type { EpochRecord, History } from '../types';

export interface TerminalProgressOptions {
  stream?: ProgressStream;
  clock?: Clock;
  /** Minimum time between redraws. Default 100 ms. */
  intervalMs?: number;
}

/**
 * @example
 * await train({ ...opts, progress: new TerminalProgress() });
 */
export class TerminalProgress implements ProgressReporter {
  private readonly stream: ProgressStream;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly live: boolean;
  private info: ProgressStart = { epochs: 0, stepsPerEpoch: 0 };
  private startedAt = 0;
  private lastDraw = -Infinity;
  private drawnWidth = 0;

  constructor(options: TerminalProgressOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 100;
    this.live = this.stream.isTTY === true;
  }

  start(info: ProgressStart): void {
    this.info = info;
    this.startedAt = this.clock();
  }

  step(step: ProgressStep): void {
    if (!this.live) return;
    const now = this.clock();
    const last = step.stepInEpoch === this.info.stepsPerEpoch;
    if (!last && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.draw(stepLine(this.info, step, now - this.startedAt));
  }

  epochEnd(record: EpochRecord): void {
    if (this.live) this.draw('');
    this.stream.write(`${this.live ? '\r' : ''}${epochLine(record, this.info.epochs)}\n`);
    this.drawnWidth = 0;
  }

  end(history: History): void {
    this.stream.write(`${endLine(history)}\n`);
  }

  /** Rewrites the current line, padding over a longer previous one. */
  private draw(text: string): void {
    this.stream.write(`\r${text.padEnd(this.drawnWidth)}`);
    this.drawnWidth = text.length;
  }
}
