/**
 * The sampler contracts: what `train` accepts as a sampler. A sampler yields the batches of an
 * epoch, either as plain Int32Arrays of dataset indices (PK, shuffled batches; a miner may pick
 * tuples from them) or as tuple batches `{ indices, triplets }` / `{ indices, pairs }` whose
 * tuples are positions in `indices` (RandomTripletSampler, RandomPairSampler), which the loss is
 * handed as mined. lib/train/batch.ts turns either form into model input.
 */
import type { PairIndices, TripletIndices } from '../types';

/** A source of batches of dataset indices. */
export interface BatchSampler {
  readonly name: string;
  /** Number of batches one epoch yields. */
  readonly batchesPerEpoch: number;
  /** The batches of one epoch (deterministic for a given seed and epoch number). */
  epoch(epochIndex: number): Int32Array[];
}

/** A batch of tuples: the dataset rows to embed and the tuples as positions among them. */
export interface TupleBatch {
  indices: Int32Array;
  triplets?: TripletIndices;
  pairs?: PairIndices;
}

/**
 * A sampler whose batches are tuples (random triplets or pairs, the no-mining baselines).
 *
 * @example
 * const sampler = new RandomTripletSampler({ labels, tripletsPerBatch: 32, seed: 1 });
 * await train({ model, loss, sampler, data, epochs: 1 });
 */
export interface TupleSampler {
  readonly name: string;
  readonly batchesPerEpoch: number;
  epoch(epochIndex: number): TupleBatch[];
}

/** What train accepts as a sampler. */
export type TrainSampler = BatchSampler | TupleSampler;
