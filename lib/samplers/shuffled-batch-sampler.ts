/**
 * Plain shuffled mini-batches (the softmax / cross-entropy baseline): each epoch is a fresh
 * permutation of 0..N-1 cut into batches; the last one is smaller unless `dropLast`.
 */
import type { SeedLike } from '../random';
import type { BatchSampler } from './types';
import { fail } from '../validate';
import { epochRandom, positiveInt } from './common';

export interface ShuffledBatchSamplerOptions {
  /** Number of samples N. */
  size: number;
  batchSize: number;
  seed: SeedLike;
  /** Drop the last, smaller batch (default false). */
  dropLast?: boolean;
}

/**
 * @example
 * const sampler = new ShuffledBatchSampler({ size: ds.labels.length, batchSize: 128, seed: 1 });
 * const batches = sampler.epoch(0); // Int32Array batches of 128: every index exactly once per epoch
 */
export class ShuffledBatchSampler implements BatchSampler {
  readonly name = 'shuffled';
  readonly batchesPerEpoch: number;
  private readonly size: number;
  private readonly batchSize: number;
  private readonly seed: SeedLike;

  constructor(opts: ShuffledBatchSamplerOptions) {
    const fn = 'ShuffledBatchSampler';
    this.size = positiveInt(fn, 'size', opts.size);
    this.batchSize = positiveInt(fn, 'batchSize', opts.batchSize);
    this.seed = opts.seed;
    const full = Math.floor(this.size / this.batchSize);
    this.batchesPerEpoch = opts.dropLast || this.size % this.batchSize === 0 ? full : full + 1;
    if (this.batchesPerEpoch === 0)
      fail(fn, 'batchSize', `be at most size (${this.size}) with dropLast`, this.batchSize);
  }

  epoch(epochIndex: number): Int32Array[] {
    const order = epochRandom('ShuffledBatchSampler.epoch', this.seed, epochIndex).permutation(this.size);
    const batches: Int32Array[] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      batches.push(order.slice(b * this.batchSize, Math.min(this.size, (b + 1) * this.batchSize)));
    }
    return batches;
  }
}
