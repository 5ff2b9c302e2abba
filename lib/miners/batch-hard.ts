import { distances, type Distance } from '../distances';
import type { MinerResult } from '../types';
import { BaseMiner, countTriplets, extremes, TripletList, type MinerInput } from './base';

class BatchHardMiner extends BaseMiner {
  constructor(distance: Distance) {
    super('batchHard', distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { hardPos, hardNeg } = extremes(input);
    const out = new TripletList();
    for (let i = 0; i < input.n; i++) if (hardPos[i] >= 0 && hardNeg[i] >= 0) out.push(i, hardPos[i], hardNeg[i]);
    return out.result(countTriplets(input));
  }
}

/**
 * Batch-hard mining (Hermans et al. 2017): for each anchor with a positive and a negative, its
 * farthest positive and closest negative.
 *
 * @example
 * const mined = miners.batchHard().mine(embeddings, labels); // { a, p, n, stats }
 * losses.tripletMargin().compute(embeddings, labels, mined);
 */
export function batchHard({ distance = distances.euclidean() }: { distance?: Distance } = {}): BaseMiner {
  return new BatchHardMiner(distance);
}
