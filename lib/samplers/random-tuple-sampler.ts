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

// A subclass's drawBatch adds the samples it uses to this indexer: part of the contract.
export { BatchIndexer };

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
 * // Pairs of two images of one class: the indices to embed, and each pair's batch positions.
 * interface SameClassBatch { indices: Int32Array; a: Int32Array; p: Int32Array }
 * class SameClassPairs extends RandomTupleSampler<SameClassBatch> {
 *   readonly name = 'same-class-pairs';
 *   constructor(opts: RandomTupleSamplerOptions & { pairsPerBatch: number }) {
 *     super(opts, { fn: 'SameClassPairs', perBatchArg: 'pairsPerBatch', perBatch: opts.pairsPerBatch, samplesPerTuple: 2 });
 *   }
 *   protected drawBatch(rng: Random, batch: BatchIndexer): SameClassBatch {
 *     const a = new Int32Array(this.perBatch);
 *     const p = new Int32Array(this.perBatch);
 *     for (let i = 0; i < this.perBatch; i++) {
 *       const anchor = rng.choice(this.index.anchors);
 *       a[i] = batch.add(anchor);
 *       p[i] = batch.add(this.index.positive(rng, anchor));
 *     }
 *     return { indices: batch.indices(), a, p };
 *   }
 * }
 * new SameClassPairs({ labels: [0, 0, 1, 1], seed: 1, pairsPerBatch: 2 }).epoch(0)[0].a.length; // 2
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
