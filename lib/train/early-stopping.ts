/** Early stopping on a monitored value with patience (Keras's EarlyStopping semantics). */
import type { EarlyStoppingOptions } from './types';
import { checkNumber, checkOneOf, fail } from '../validate';

export type EarlyStoppingVerdict = 'improved' | 'waiting' | 'stop';

/**
 * Tracks the best value of one monitored quantity.
 *
 * @example
 * const es = new EarlyStopper({ monitor: 'loss', patience: 2 });
 * es.update(0, 1.0); // 'improved'
 * es.update(1, 1.1); // 'waiting'
 * es.update(2, 1.2); // 'stop'
 */
export class EarlyStopper {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  best = NaN;
  bestEpoch = -1;
  private wait = 0;

  constructor(options: EarlyStoppingOptions) {
    if (typeof options.monitor !== 'string' || options.monitor === '') {
      fail('train', 'earlyStopping.monitor', "be 'loss' or a metric name", options.monitor);
    }
    this.monitor = options.monitor;
    this.mode = checkOneOf('train', 'earlyStopping.mode', options.mode ?? (this.monitor === 'loss' ? 'min' : 'max'), [
      'min',
      'max',
    ] as const);
    this.patience = checkNumber('train', 'earlyStopping.patience', options.patience, { min: 1, integer: true });
    this.minDelta = checkNumber('train', 'earlyStopping.minDelta', options.minDelta ?? 0, { min: 0 });
  }

  /** Feeds the value of one check (an epoch, or an evaluated epoch for metrics). */
  update(epoch: number, value: number): EarlyStoppingVerdict {
    const better =
      Number.isFinite(value) &&
      (Number.isNaN(this.best) ||
        (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta));
    if (better) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return 'improved';
    }
    this.wait++;
    return this.wait >= this.patience ? 'stop' : 'waiting';
  }

  /** Words for History.stopReason. */
  describe(epoch: number): string {
    return (
      `early stopping at epoch ${epoch}: ${this.monitor} did not improve on ${this.best} ` +
      `(epoch ${this.bestEpoch}) for ${this.patience} checks`
    );
  }
}
