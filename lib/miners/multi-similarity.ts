import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, extremes, filterPairs, type MinerInput } from './base';

export interface MultiSimilarityMinerOptions {
  /** A pair is kept when it is within ε of violating the other kind's extreme (default 0.1). */
  epsilon?: number;
  /** Default cosine similarity. */
  distance?: Distance;
}

/** The kind of each option, for the option check and the command line. */
export const MULTI_SIMILARITY_MINER_OPTIONS: OptionKinds<MultiSimilarityMinerOptions> = {
  epsilon: 'number',
  distance: 'object',
};

class MultiSimilarityMiner extends BaseMiner {
  constructor(readonly options: Resolved<MultiSimilarityMinerOptions>) {
    super('multiSimilarity', options.distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { mat, m, distance } = input;
    const { hardPos, hardNeg } = extremes(input);
    // A positive is kept when it is within ε of being farther than the closest negative, and a
    // negative when it is within ε of being closer than the farthest positive.
    return filterPairs(input, (i, _j, d, positive) =>
      positive
        ? hardNeg[i] >= 0 && distance.marginOf(d, mat[i * m + hardNeg[i]]) > -this.options.epsilon
        : hardPos[i] >= 0 && distance.marginOf(mat[i * m + hardPos[i]], d) > -this.options.epsilon,
    );
  }
}

/**
 * Multi-similarity mining (Wang et al. 2019): keep negative (a, n) if S_an + ε > min over a's
 * positives S_ap; keep positive (a, p) if S_ap - ε < max over a's negatives S_an.
 *
 * @example
 * const mined = miners.multiSimilarity({ epsilon: 0.1 }).mine(embeddings, labels);
 * losses.multiSimilarity().compute(embeddings, labels, mined);
 */
export function multiSimilarity(options?: MultiSimilarityMinerOptions): BaseMiner {
  const fn = 'multiSimilarityMiner';
  checkOptions(fn, options, MULTI_SIMILARITY_MINER_OPTIONS);
  const o = withDefaults<MultiSimilarityMinerOptions>({ epsilon: 0.1, distance: distances.cosine() }, options);
  checkNumber(fn, 'epsilon', o.epsilon, { min: 0 });
  return new MultiSimilarityMiner(o);
}
