/**
 * Batch samplers: P×K class-balanced batches, random triplets and pairs (no-mining baselines),
 * and plain shuffled batches (softmax baseline). All are seeded and deterministic per epoch.
 *
 * @example
 * import { PKSampler } from 'metriclab';
 * const batches = new PKSampler({ labels, classesPerBatch: 8, samplesPerClass: 4, seed: 0 }).epoch(0);
 */
export type { BatchSampler, TrainSampler, TupleBatch, TupleSampler } from './types';
export { PKSampler, type PKSamplerOptions } from './pk-sampler';
export {
  BatchIndexer,
  RandomTupleSampler,
  type RandomTupleSamplerOptions,
  type TupleShape,
} from './random-tuple-sampler';
export { RandomTripletSampler, type RandomTripletSamplerOptions, type TripletBatch } from './random-triplet-sampler';
export { RandomPairSampler, type RandomPairSamplerOptions, type PairBatch } from './random-pair-sampler';
export { ShuffledBatchSampler, type ShuffledBatchSamplerOptions } from './shuffled-batch-sampler';
export { EpisodeSampler, type Episode, type EpisodeSamplerOptions } from './episode-sampler';
