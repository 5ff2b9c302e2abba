/**
 * P×K sampling (Hermans, Beyer & Leibe 2017, "In Defense of the Triplet Loss"; pytorch-metric-
 * learning's MPerClassSampler): every batch holds exactly K samples of each of P distinct
 * classes, so every anchor has K-1 positives and (P-1)·K negatives in its batch.
 *
 * An epoch is ceil(N / (P·K)) batches, i.e. about N samples. Within an epoch each class walks
 * through a fresh shuffle of its samples (reshuffled when exhausted), and the P classes of a
 * batch are drawn without replacement with probability proportional to how many of their
 * samples the epoch has not yet visited: large classes come up more often, and every sample is
 * visited about once per epoch. Classes with fewer than K samples are drawn with replacement in
 * their batches; `warnings` says which.
 */
import type { Random, SeedLike } from '../random';
import type { LabelsLike } from '../types';
import type { BatchSampler } from './types';
import { fail } from '../validate';
import { epochLength, epochRandom, groupByClass, positiveInt, samplerLabels } from './common';

export interface PKSamplerOptions {
  labels: LabelsLike;
  /** P: classes per batch. */
  classesPerBatch: number;
  /** K: samples of each class per batch. */
  samplesPerClass: number;
  seed: SeedLike;
  /** Override the epoch length (default ceil(N / (P·K))). */
  batchesPerEpoch?: number;
}

/**
 * Makes a P×K batch sampler.
 *
 * @example
 * const sampler = new PKSampler({ labels: ds.labels, classesPerBatch: 8, samplesPerClass: 4, seed: 1 });
 * const batches = sampler.epoch(0); // Int32Array[] of 32 dataset indices each
 * sampler.warnings;                 // [] unless some class has fewer than 4 samples
 */
export class PKSampler implements BatchSampler {
  readonly name = 'pk';
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  /** Plain-language notes about the data (classes drawn with replacement). */
  readonly warnings: string[] = [];
  /** Classes with fewer than K samples, drawn with replacement. */
  readonly smallClasses: number[];
  private readonly classes: number[];
  private readonly members: Int32Array[];
  private readonly p: number;
  private readonly k: number;
  private readonly seed: SeedLike;

  constructor(opts: PKSamplerOptions) {
    const fn = 'PKSampler';
    const labels = samplerLabels(fn, opts.labels);
    this.p = positiveInt(fn, 'classesPerBatch', opts.classesPerBatch);
    this.k = positiveInt(fn, 'samplesPerClass', opts.samplesPerClass);
    ({ classes: this.classes, members: this.members } = groupByClass(labels));
    if (this.classes.length < this.p) {
      fail(fn, 'classesPerBatch', `be at most the number of classes in labels (${this.classes.length})`, this.p);
    }
    this.batchSize = this.p * this.k;
    this.batchesPerEpoch = epochLength(fn, opts.batchesPerEpoch, Math.ceil(labels.length / this.batchSize));
    this.seed = opts.seed;
    this.smallClasses = this.classes.filter((_, i) => this.members[i].length < this.k);
    if (this.smallClasses.length) {
      const sizes = this.smallClasses.map((c) => `${c} (${this.members[this.classes.indexOf(c)].length})`);
      this.warnings.push(
        `${this.smallClasses.length} class(es) have fewer than K=${this.k} samples and are drawn with replacement: ${sizes.join(', ')}`,
      );
    }
  }

  epoch(epochIndex: number): Int32Array[] {
    const rng = epochRandom('PKSampler.epoch', this.seed, epochIndex);
    const queues = this.members.map((m) => rng.shuffle(Int32Array.from(m)));
    const cursor = new Int32Array(this.classes.length);
    const unvisited = this.members.map((m) => m.length);
    const batches: Int32Array[] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const batch = new Int32Array(this.batchSize);
      const picked = this.pickClasses(rng, unvisited);
      picked.forEach((ci, slot) => {
        const queue = queues[ci];
        const out = batch.subarray(slot * this.k, (slot + 1) * this.k);
        if (queue.length < this.k) {
          for (let j = 0; j < this.k; j++) out[j] = queue[rng.int(queue.length)];
        } else {
          // Take K consecutive samples of the shuffled queue, so none repeats within a batch;
          // when fewer than K are left, start a new pass over a fresh shuffle.
          if (cursor[ci] + this.k > queue.length) {
            rng.shuffle(queue);
            cursor[ci] = 0;
          }
          out.set(queue.subarray(cursor[ci], cursor[ci] + this.k));
          cursor[ci] += this.k;
        }
        unvisited[ci] = Math.max(0, unvisited[ci] - this.k);
      });
      batches.push(batch);
    }
    return batches;
  }

  /** P distinct classes, weighted by unvisited samples (uniform once all are visited). */
  private pickClasses(rng: Random, unvisited: number[]): number[] {
    const weights = unvisited.map((u) => u + 1e-9);
    const picked: number[] = [];
    for (let t = 0; t < this.p; t++) {
      let total = 0;
      for (let c = 0; c < weights.length; c++) total += weights[c];
      let r = rng.uniform() * total;
      let chosen = -1;
      for (let c = 0; c < weights.length; c++) {
        if (weights[c] === 0) continue;
        chosen = c;
        r -= weights[c];
        if (r < 0) break;
      }
      picked.push(chosen);
      weights[chosen] = 0;
    }
    return picked;
  }
}
