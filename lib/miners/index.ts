/**
 * Miners pick informative triplets or pairs from a batch; they return indices, never gradients.
 *
 * @example
 * import { miners, losses } from 'metriclab';
 * const mined = miners.tripletMargin({ margin: 0.2, type: 'semihard' }).mine(embeddings, labels);
 * losses.tripletMargin().compute(embeddings, labels, mined);
 */
import { batchHard } from './batch-hard';
import { distanceWeighted } from './distance-weighted';
import { hardestNegativePairs } from './hardest-negative-pairs';
import { multiSimilarity } from './multi-similarity';
import { pairMargin } from './pair-margin';
import { randomTriplets } from './random-triplets';
import { schedule } from './schedule';
import { smallLoss } from './small-loss';
import { semiHard } from './semi-hard';
import { tripletMargin } from './triplet-margin';

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

export { BaseMiner, type MinerInput } from './base';
export { TRIPLET_TYPES, type TripletType, type TripletMarginMinerOptions } from './triplet-margin';
export type { DistanceWeightedOptions } from './distance-weighted';
export { MinerSchedule, type MinerStage, type MinerScheduleOptions } from './schedule';
export type { SmallLossOptions } from './small-loss';
export type { BatchHardOptions } from './batch-hard';
export type { SemiHardOptions } from './semi-hard';
