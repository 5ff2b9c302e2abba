import { distances, type Distance } from '../distances';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, extremes, filterPairs, type MinerInput } from './base';

class MultiSimilarityMiner extends BaseMiner {
  constructor(
    private readonly epsilon: number,
    distance: Distance,
  ) {
    super('multiSimilarity', distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { mat, m, distance } = input;
    const { hardPos, hardNeg } = extremes(input);
    // A positive is kept when it is within ε of being farther than the closest negative, and a
    // negative when it is within ε of being closer than the farthest positive.
    return filterPairs(input, (i, _j, d, positive) =>
      positive
        ? hardNeg[i] >= 0 && distance.marginOf(d, mat[i * m + hardNeg[i]]) > -this.epsilon
        : hardPos[i] >= 0 && distance.marginOf(mat[i * m + hardPos[i]], d) > -this.epsilon,
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
export function multiSimilarity(options: { epsilon?: number; distance?: Distance } = {}): BaseMiner {
  const epsilon = checkNumber('multiSimilarityMiner', 'epsilon', options.epsilon ?? 0.1, { min: 0 });
  return new MultiSimilarityMiner(epsilon, options.distance ?? distances.cosine());
}
