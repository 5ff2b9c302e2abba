/**
 * Uniformly random pairs with a set share of positives (for contrastive losses without mining):
 * each batch has round(positiveFraction · B) positive pairs (anchor and another sample of its
 * class) and the rest negative pairs (anchor and a sample of another class). An epoch is
 * ceil(N / (2·B)) batches, so it embeds about N samples.
 */
import type { Random } from '../random';
import type { PairIndices } from '../types';
import { checkNumber } from '../validate';
import type { BatchIndexer } from './common';
import { RandomTupleSampler, type RandomTupleSamplerOptions } from './random-tuple-sampler';
import type { TupleSampler } from './types';

/** One batch of pairs: the distinct dataset `indices` to embed, pairs as positions in it. */
export interface PairBatch {
  indices: Int32Array;
  pairs: PairIndices;
}

export interface RandomPairSamplerOptions extends RandomTupleSamplerOptions {
  pairsPerBatch: number;
  /** Share of positive pairs in each batch, in [0, 1]; default 0.5. */
  positiveFraction?: number;
}

/**
 * @example
 * const sampler = new RandomPairSampler({ labels: ds.labels, pairsPerBatch: 64, positiveFraction: 0.25, seed: 1 });
 * const [{ indices, pairs }] = sampler.epoch(0); // 16 positive pairs (a1, p), 48 negative (a2, n)
 */
export class RandomPairSampler extends RandomTupleSampler<PairBatch> implements TupleSampler {
  readonly name = 'random-pairs';
  readonly positivesPerBatch: number;

  constructor(opts: RandomPairSamplerOptions) {
    const fn = 'RandomPairSampler';
    super(opts, { fn, perBatchArg: 'pairsPerBatch', perBatch: opts.pairsPerBatch, samplesPerTuple: 2 });
    const fraction = checkNumber(fn, 'positiveFraction', opts.positiveFraction ?? 0.5, { min: 0, max: 1 });
    this.positivesPerBatch = Math.round(fraction * this.perBatch);
  }

  protected drawBatch(rng: Random, batch: BatchIndexer): PairBatch {
    const nPos = this.positivesPerBatch;
    const nNeg = this.perBatch - nPos;
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
    return { indices: batch.indices(), pairs };
  }
}
