import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, countPairs, extremes, type MinerInput } from './base';
import { KEEP_NEGATIVE, KEEP_POSITIVE, pairsFromMarks } from './pair-grid';

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
    const { mat, labels, refLabels, n, m, self } = input;
    const { hardPos, hardNeg } = extremes(input);
    const sign = this.distance.isInverted ? -1 : 1; // marginOf(x, y) = sign (x - y)
    const epsilon = this.options.epsilon;
    // A fresh grid per call: the result keeps it (pair-grid.ts), so it cannot be reused.
    const marks = new Uint8Array(n * m);
    // Local copies: an imported binding can compile to a getter call (tsx), once per pair.
    const [keepPositive, keepNegative] = [KEEP_POSITIVE, KEEP_NEGATIVE];
    // filterPairs' loop with the test inlined (a closure call per pair cost as much as the rest).
    // A positive is kept when it is within ε of being farther than the closest negative, and a
    // negative when it is within ε of being closer than the farthest positive.
    for (let i = 0; i < n; i++) {
      const row = i * m;
      const closestNeg = hardNeg[i] >= 0 ? mat[row + hardNeg[i]] : NaN;
      const farthestPos = hardPos[i] >= 0 ? mat[row + hardPos[i]] : NaN;
      for (let j = 0; j < m; j++) {
        if (j === self[i]) continue;
        const d = mat[row + j];
        if (labels[i] === refLabels[j]) {
          if (sign * (d - closestNeg) > -epsilon) marks[row + j] = keepPositive; // false when NaN: no negative
        } else if (sign * (farthestPos - d) > -epsilon) marks[row + j] = keepNegative;
      }
    }
    return pairsFromMarks(marks, n, m, countPairs(input));
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
