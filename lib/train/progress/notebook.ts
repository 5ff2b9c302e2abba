/**
 * Notebook progress: one tslab display updated in place (tslab's `newDisplay()`), so a long run
 * leaves one output in the saved notebook instead of thousands of lines.
 *
 * Detection: tslab's executor sets `globalThis.__tslab__` with the `require` it gives notebook
 * code, and that require resolves 'tslab' to the running kernel's own module, whose display is
 * wired to the kernel's socket. A plain `require('tslab')` from the library could load a second,
 * unwired copy, so we go through the kernel's.
 */
import { endLine, epochLine, stepLine } from './format';
import { type Clock, type ProgressReporter, type ProgressStart, type ProgressStep, systemClock } from './reporter';
import type { EpochRecord, History } from '../types';

/** The part of tslab's Display we use. */
export interface TextDisplay {
  text(s: string): void;
}

interface TslabGlobal {
  require?: (id: string) => unknown;
}

/** The kernel's `newDisplay`, or null when not running inside a tslab kernel. */
export function tslabNewDisplay(): (() => TextDisplay) | null {
  const g = (globalThis as { __tslab__?: TslabGlobal }).__tslab__;
  if (!g || typeof g.require !== 'function') return null;
  try {
    const mod = g.require('tslab') as { newDisplay?: () => TextDisplay };
    return typeof mod.newDisplay === 'function' ? mod.newDisplay : null;
  } catch {
    return null;
  }
}

export interface NotebookProgressOptions {
  /** Makes the display; default: tslab's newDisplay (throws outside a kernel). */
  newDisplay?: () => TextDisplay;
  clock?: Clock;
  /** Minimum time between updates (each one is a message to the browser). Default 250 ms. */
  intervalMs?: number;
}

/**
 * @example
 * await train({ ...opts, progress: 'notebook' }); // in a tslab cell
 */
export class NotebookProgress implements ProgressReporter {
  private readonly makeDisplay: () => TextDisplay;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private display: TextDisplay | null = null;
  private info: ProgressStart = { epochs: 0, stepsPerEpoch: 0 };
  private startedAt = 0;
  private lastDraw = -Infinity;
  private readonly done: string[] = [];

  constructor(options: NotebookProgressOptions = {}) {
    const make = options.newDisplay ?? tslabNewDisplay();
    if (!make) throw new Error("Error in train: progress 'notebook' needs a tslab kernel (no tslab display found)");
    this.makeDisplay = make;
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 250;
  }

  start(info: ProgressStart): void {
    this.info = info;
    this.startedAt = this.clock();
    this.display = this.makeDisplay();
    this.display.text('starting training...');
  }

  step(step: ProgressStep): void {
    const now = this.clock();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.show(stepLine(this.info, step, now - this.startedAt, 30));
  }

  epochEnd(record: EpochRecord): void {
    this.done.push(epochLine(record, this.info.epochs));
    this.show();
  }

  end(history: History): void {
    this.show(endLine(history));
  }

  /** Finished epochs stay listed above the live line (epochs are few; steps are many). */
  private show(current?: string): void {
    const lines = current === undefined ? this.done : [...this.done, current];
    this.display?.text(lines.join('\n'));
  }
}
