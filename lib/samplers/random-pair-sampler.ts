/**
 * Uniformly random pairs with a set share of positives (for contrastive losses without mining):
 * each batch has round(positiveFraction · B) positive pairs (anchor and another sample of its
 * class) and the rest negative pairs (anchor and a sample of another class). An epoch is
 * ceil(N / (2·B)) batches, so it embeds about N samples.
 */
import type { SeedLike } from '../random';
import type { LabelsLike, PairIndices } from '../types';
import { checkNumber } from '../validate';
import {
  BatchIndexer,
  checkPairable,
  ClassIndex,
  epochLength,
  epochRandom,
  positiveInt,
  samplerLabels,
} from './common';

/** One batch of pairs: the distinct dataset `indices` to embed, pairs as positions in it. */
export interface PairBatch {
  indices: Int32Array;
  pairs: PairIndices;
}

export interface RandomPairSamplerOptions {
  labels: LabelsLike;
  pairsPerBatch: number;
  /** Share of positive pairs in each batch, in [0, 1]; default 0.5. */
  positiveFraction?: number;
  seed: SeedLike;
  /** Override the epoch length (default ceil(N / (2 · pairsPerBatch))). */
  batchesPerEpoch?: number;
}

/**
 * @example
 * const sampler = new RandomPairSampler({ labels: ds.labels, pairsPerBatch: 64, positiveFraction: 0.25, seed: 1 });
 * const [{ indices, pairs }] = sampler.epoch(0); // 16 positive pairs (a1, p), 48 negative (a2, n)
 */
export class RandomPairSampler {
  readonly name = 'random-pairs';
  readonly batchesPerEpoch: number;
  readonly positivesPerBatch: number;
  private readonly index: ClassIndex;
  private readonly perBatch: number;
  private readonly seed: SeedLike;

  constructor(opts: RandomPairSamplerOptions) {
    const fn = 'RandomPairSampler';
    const labels = samplerLabels(fn, opts.labels);
    this.perBatch = positiveInt(fn, 'pairsPerBatch', opts.pairsPerBatch);
    const fraction = checkNumber(fn, 'positiveFraction', opts.positiveFraction ?? 0.5, { min: 0, max: 1 });
    this.positivesPerBatch = Math.round(fraction * this.perBatch);
    this.index = new ClassIndex(labels);
    checkPairable(fn, this.index);
    this.batchesPerEpoch = epochLength(fn, opts.batchesPerEpoch, Math.ceil(labels.length / (2 * this.perBatch)));
    this.seed = opts.seed;
  }

  epoch(epochIndex: number): PairBatch[] {
    const rng = epochRandom('RandomPairSampler.epoch', this.seed, epochIndex);
    const nPos = this.positivesPerBatch;
    const nNeg = this.perBatch - nPos;
    const batches: PairBatch[] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const batch = new BatchIndexer();
      const pairs = {
        a1: new Int32Array(nPos),
        p: new Int32Array(nPos),
        a2: new Int32Array(nNeg),
        n: new Int32Array(nNeg),
      };
      for (let i = 0; i < nPos; i++) {
        const a = rng.choice(this.index.anchors);
        pairs.a1[i] = batch.add(a);
        pairs.p[i] = batch.add(this.index.positive(rng, a));
      }
      for (let i = 0; i < nNeg; i++) {
        const a = rng.int(this.index.classOf.length);
        pairs.a2[i] = batch.add(a);
        pairs.n[i] = batch.add(this.index.negative(rng, a));
      }
      batches.push({ indices: batch.indices(), pairs });
    }
    return batches;
  }
}
