/**
 * Uniformly random triplets, the 'no mining' baseline: anchor uniform over samples whose class
 * has a second member, positive uniform over the anchor's other class members, negative uniform
 * over all samples of other classes. An epoch is ceil(N / (3·T)) batches of T triplets, so it
 * embeds about N samples like the other samplers.
 */
import type { SeedLike } from '../random';
import type { LabelsLike, TripletIndices } from '../types';
import {
  BatchIndexer,
  checkPairable,
  ClassIndex,
  epochLength,
  epochRandom,
  positiveInt,
  samplerLabels,
} from './common';

/** One batch of triplets: the distinct dataset `indices` to embed, triplets as positions in it. */
export interface TripletBatch {
  indices: Int32Array;
  triplets: TripletIndices;
}

export interface RandomTripletSamplerOptions {
  labels: LabelsLike;
  tripletsPerBatch: number;
  seed: SeedLike;
  /** Override the epoch length (default ceil(N / (3 · tripletsPerBatch))). */
  batchesPerEpoch?: number;
}

/**
 * @example
 * const sampler = new RandomTripletSampler({ labels: ds.labels, tripletsPerBatch: 32, seed: 1 });
 * const [{ indices, triplets }] = sampler.epoch(0);
 * // embed images gathered at `indices`, then loss.compute(emb, batchLabels, triplets)
 */
export class RandomTripletSampler {
  readonly name = 'random-triplets';
  readonly batchesPerEpoch: number;
  private readonly index: ClassIndex;
  private readonly perBatch: number;
  private readonly seed: SeedLike;

  constructor(opts: RandomTripletSamplerOptions) {
    const fn = 'RandomTripletSampler';
    const labels = samplerLabels(fn, opts.labels);
    this.perBatch = positiveInt(fn, 'tripletsPerBatch', opts.tripletsPerBatch);
    this.index = new ClassIndex(labels);
    checkPairable(fn, this.index);
    this.batchesPerEpoch = epochLength(fn, opts.batchesPerEpoch, Math.ceil(labels.length / (3 * this.perBatch)));
    this.seed = opts.seed;
  }

  epoch(epochIndex: number): TripletBatch[] {
    const rng = epochRandom('RandomTripletSampler.epoch', this.seed, epochIndex);
    const batches: TripletBatch[] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const batch = new BatchIndexer();
      const t = {
        a: new Int32Array(this.perBatch),
        p: new Int32Array(this.perBatch),
        n: new Int32Array(this.perBatch),
      };
      for (let i = 0; i < this.perBatch; i++) {
        const a = rng.choice(this.index.anchors);
        t.a[i] = batch.add(a);
        t.p[i] = batch.add(this.index.positive(rng, a));
        t.n[i] = batch.add(this.index.negative(rng, a));
      }
      batches.push({ indices: batch.indices(), triplets: t });
    }
    return batches;
  }
}
