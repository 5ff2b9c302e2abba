/**
 * What the random triplet and pair samplers share: checking labels and the tuples-per-batch
 * option, the class index they draw from, the epoch length (about N samples embedded per epoch)
 * and the seeded stream of each epoch. A subclass only says how one batch of tuples is drawn.
 */
import type { Random, SeedLike } from '../random';
import type { LabelsLike } from '../types';
import {
  BatchIndexer,
  checkPairable,
  ClassIndex,
  epochLength,
  epochRandom,
  positiveInt,
  samplerLabels,
} from './common';

/** The options every random tuple sampler takes. */
export interface RandomTupleSamplerOptions {
  labels: LabelsLike;
  seed: SeedLike;
  /** Override the epoch length (default ceil(N / (samples per tuple · tuples per batch))). */
  batchesPerEpoch?: number;
}

/** How a subclass names itself and its batch size, for validation messages and epoch length. */
export interface TupleShape {
  /** The class name used in error messages, e.g. 'RandomPairSampler'. */
  fn: string;
  /** The option holding the tuples per batch, e.g. 'pairsPerBatch'. */
  perBatchArg: string;
  perBatch: unknown;
  /** Dataset samples one tuple embeds (3 for a triplet, 2 for a pair). */
  samplesPerTuple: number;
}

/**
 * Base of the uniformly random tuple samplers.
 *
 * @example
 * class RandomPairs extends RandomTupleSampler<PairBatch> {
 *   readonly name = 'random-pairs';
 *   constructor(opts: RandomTupleSamplerOptions & { pairsPerBatch: number }) {
 *     super(opts, { fn: 'RandomPairs', perBatchArg: 'pairsPerBatch', perBatch: opts.pairsPerBatch, samplesPerTuple: 2 });
 *   }
 *   protected drawBatch(rng: Random, batch: BatchIndexer): PairBatch { ... }
 * }
 */
export abstract class RandomTupleSampler<B> {
  abstract readonly name: string;
  readonly batchesPerEpoch: number;
  protected readonly index: ClassIndex;
  protected readonly perBatch: number;
  private readonly fn: string;
  private readonly seed: SeedLike;

  protected constructor(opts: RandomTupleSamplerOptions, shape: TupleShape) {
    const labels = samplerLabels(shape.fn, opts.labels);
    this.fn = shape.fn;
    this.perBatch = positiveInt(shape.fn, shape.perBatchArg, shape.perBatch);
    this.index = new ClassIndex(labels);
    checkPairable(shape.fn, this.index);
    const fallback = Math.ceil(labels.length / (shape.samplesPerTuple * this.perBatch));
    this.batchesPerEpoch = epochLength(shape.fn, opts.batchesPerEpoch, fallback);
    this.seed = opts.seed;
  }

  /** The batches of one epoch (deterministic for a given seed and epoch number). */
  epoch(epochIndex: number): B[] {
    const rng = epochRandom(`${this.fn}.epoch`, this.seed, epochIndex);
    const batches: B[] = [];
    for (let b = 0; b < this.batchesPerEpoch; b++) batches.push(this.drawBatch(rng, new BatchIndexer()));
    return batches;
  }

  /** Draws one batch of `perBatch` tuples, adding the samples it uses to `batch`. */
  protected abstract drawBatch(rng: Random, batch: BatchIndexer): B;
}
