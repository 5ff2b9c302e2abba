/**
 * Miners pick informative triplets or pairs from a batch; they return indices, never gradients.
 *
 * @example
 * import { miners, losses } from 'metriclab';
 * const mined = miners.tripletMargin({ margin: 0.2, type: 'semihard' }).mine(embeddings, labels);
 * losses.tripletMargin().compute(embeddings, labels, mined);
 */
import type { OptionTable } from '../options';
import { batchHard, BATCH_HARD_OPTIONS } from './batch-hard';
import { distanceWeighted, DISTANCE_WEIGHTED_OPTIONS } from './distance-weighted';
import { hardestNegativePairs, HARDEST_NEGATIVE_PAIRS_OPTIONS } from './hardest-negative-pairs';
import { multiSimilarity, MULTI_SIMILARITY_MINER_OPTIONS } from './multi-similarity';
import { pairMargin, PAIR_MARGIN_OPTIONS } from './pair-margin';
import { randomTriplets, RANDOM_TRIPLETS_OPTIONS } from './random-triplets';
import { schedule } from './schedule';
import { smallLoss } from './small-loss';
import { semiHard, SEMI_HARD_OPTIONS } from './semi-hard';
import { tripletMargin, TRIPLET_MARGIN_MINER_OPTIONS } from './triplet-margin';

/** The miner factories: `miners.batchHard()`, `miners.tripletMargin({ type: 'semihard' })`, ... */
export const miners = {
  batchHard,
  tripletMargin,
  semiHard,
  distanceWeighted,
  multiSimilarity,
  pairMargin,
  hardestNegativePairs,
  randomTriplets,
  schedule,
  smallLoss,
};

/** The name of a miner factory: 'batchHard', 'semiHard', ... */
export type MinerName = keyof typeof miners;

/**
 * The options each miner factory takes and their kinds (schedule and smallLoss wrap other
 * miners and are not listed): what `metriclab train --help` lists and `--miner-opt` may set.
 *
 * @example
 * MINER_OPTIONS.semiHard; // { distance: 'object', skipHardestNegatives: 'number' }
 */
export const MINER_OPTIONS: Readonly<Record<Exclude<MinerName, 'schedule' | 'smallLoss'>, OptionTable>> = {
  batchHard: BATCH_HARD_OPTIONS,
  tripletMargin: TRIPLET_MARGIN_MINER_OPTIONS,
  semiHard: SEMI_HARD_OPTIONS,
  distanceWeighted: DISTANCE_WEIGHTED_OPTIONS,
  multiSimilarity: MULTI_SIMILARITY_MINER_OPTIONS,
  pairMargin: PAIR_MARGIN_OPTIONS,
  hardestNegativePairs: HARDEST_NEGATIVE_PAIRS_OPTIONS,
  randomTriplets: RANDOM_TRIPLETS_OPTIONS,
};

export { BaseMiner, type MinerInput } from './base';
export { TRIPLET_TYPES, type TripletType, type TripletMarginMinerOptions } from './triplet-margin';
export type { DistanceWeightedOptions } from './distance-weighted';
export { MinerSchedule, type MinerStage, type MinerScheduleOptions } from './schedule';
export type { SmallLossOptions } from './small-loss';
export type { BatchHardOptions } from './batch-hard';
export type { SemiHardOptions } from './semi-hard';
export type { HardestNegativePairsOptions } from './hardest-negative-pairs';
export type { MultiSimilarityMinerOptions } from './multi-similarity';
export type { PairMarginOptions } from './pair-margin';
export type { RandomTripletsOptions } from './random-triplets';
