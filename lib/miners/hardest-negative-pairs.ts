import { distances, type Distance } from '../distances';
import type { MinerResult } from '../types';
import { BaseMiner, countPairs, extremes, forEachCandidate, PairList, type MinerInput } from './base';

class HardestNegativePairsMiner extends BaseMiner {
  constructor(distance: Distance) {
    super('hardestNegativePairs', distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { hardNeg } = extremes(input);
    const out = new PairList();
    for (let i = 0; i < input.n; i++) {
      forEachCandidate(input, i, (j, positive) => positive && out.positive(i, j));
      if (hardNeg[i] >= 0) out.negative(i, hardNeg[i]);
    }
    return out.result(countPairs(input));
  }
}

/**
 * Every positive pair, and for each anchor only its closest negative (hardest-negative pair
 * mining for contrastive losses).
 *
 * @example
 * const mined = miners.hardestNegativePairs().mine(embeddings, labels);
 * losses.contrastive().compute(embeddings, labels, mined);
 */
export function hardestNegativePairs({ distance = distances.euclidean() }: { distance?: Distance } = {}): BaseMiner {
  return new HardestNegativePairsMiner(distance);
}
