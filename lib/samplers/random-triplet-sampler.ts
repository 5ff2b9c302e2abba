/**
 * Uniformly random triplets, the 'no mining' baseline: anchor uniform over samples whose class
 * has a second member, positive uniform over the anchor's other class members, negative uniform
 * over all samples of other classes. An epoch is ceil(N / (3·T)) batches of T triplets, so it
 * embeds about N samples like the other samplers.
 */
import type { Random } from '../random';
import type { TripletIndices } from '../types';
import type { BatchIndexer } from './common';
import { RandomTupleSampler, type RandomTupleSamplerOptions } from './random-tuple-sampler';
import type { TupleSampler } from './types';

/** One batch of triplets: the distinct dataset `indices` to embed, triplets as positions in it. */
export interface TripletBatch {
  indices: Int32Array;
  triplets: TripletIndices;
}

export interface RandomTripletSamplerOptions extends RandomTupleSamplerOptions {
  tripletsPerBatch: number;
}

/**
 * @example
 * const sampler = new RandomTripletSampler({ labels: ds.labels, tripletsPerBatch: 32, seed: 1 });
 * const [{ indices, triplets }] = sampler.epoch(0);
 * // embed images gathered at `indices`, then loss.compute(emb, batchLabels, triplets)
 */
export class RandomTripletSampler extends RandomTupleSampler<TripletBatch> implements TupleSampler {
  readonly name = 'random-triplets';

  constructor(opts: RandomTripletSamplerOptions) {
    super(opts, {
      fn: 'RandomTripletSampler',
      perBatchArg: 'tripletsPerBatch',
      perBatch: opts.tripletsPerBatch,
      samplesPerTuple: 3,
    });
  }

  protected drawBatch(rng: Random, batch: BatchIndexer): TripletBatch {
    const t = { a: new Int32Array(this.perBatch), p: new Int32Array(this.perBatch), n: new Int32Array(this.perBatch) };
    for (let i = 0; i < this.perBatch; i++) {
      const a = rng.choice(this.index.anchors);
      t.a[i] = batch.add(a);
      t.p[i] = batch.add(this.index.positive(rng, a));
      t.n[i] = batch.add(this.index.negative(rng, a));
    }
    return { indices: batch.indices(), triplets: t };
  }
}
