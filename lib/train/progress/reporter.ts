/** What the training loop tells a progress display, and the display's common clock. */
import type { EpochRecord, History } from '../types';

export interface ProgressStart {
  epochs: number;
  stepsPerEpoch: number;
}

export interface ProgressStep {
  epoch: number;
  /** Steps done in this epoch (1-based after the first step). */
  stepInEpoch: number;
  /** Steps done in the whole run. */
  stepsDone: number;
  loss: number;
}

/** A progress display; `train` calls these in order: start, (step*, epochEnd)*, end. */
export interface ProgressReporter {
  start(info: ProgressStart): void;
  step(info: ProgressStep): void;
  epochEnd(record: EpochRecord): void;
  end(history: History): void;
}

/** Where text progress goes; process.stdout by default. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Milliseconds clock, injectable so tests control rates and throttling. */
export type Clock = () => number;

export const systemClock: Clock = () => performance.now();
