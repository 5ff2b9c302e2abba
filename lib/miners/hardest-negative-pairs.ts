import { distances, type Distance } from '../distances';
import type { MinerResult } from '../types';
import { BaseMiner, countPairs, extremes, PairList, type MinerInput } from './base';

class HardestNegativePairsMiner extends BaseMiner {
  constructor(distance: Distance) {
    super('hardestNegativePairs', distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { labels, n } = input;
    const { hardNeg } = extremes(input);
    const out = new PairList();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (j !== i && labels[j] === labels[i]) out.positive(i, j);
      if (hardNeg[i] >= 0) out.negative(i, hardNeg[i]);
    }
    return out.result(countPairs(n));
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
