import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { BaseMiner, countPairs, extremes, forEachCandidate, PairList, type MinerInput } from './base';

export interface HardestNegativePairsOptions {
  /** Default euclidean. */
  distance?: Distance;
}

/** The kind of each option, for the option check and the command line. */
export const HARDEST_NEGATIVE_PAIRS_OPTIONS: OptionKinds<HardestNegativePairsOptions> = { distance: 'object' };

class HardestNegativePairsMiner extends BaseMiner {
  constructor(readonly options: Resolved<HardestNegativePairsOptions>) {
    super('hardestNegativePairs', options.distance);
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
export function hardestNegativePairs(options?: HardestNegativePairsOptions): BaseMiner {
  checkOptions('hardestNegativePairs', options, HARDEST_NEGATIVE_PAIRS_OPTIONS);
  return new HardestNegativePairsMiner(
    withDefaults<HardestNegativePairsOptions>({ distance: distances.euclidean() }, options),
  );
}
