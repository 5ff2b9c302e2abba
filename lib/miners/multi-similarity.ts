import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, countPairs, extremes, type MinerInput } from './base';
import { KEEP_NEGATIVE, KEEP_POSITIVE, pairsFromMarks, type MarkCounts } from './pair-grid';

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
    const { n, m } = input;
    const sign = this.distance.isInverted ? -1 : 1; // marginOf(x, y) = sign (x - y)
    // A fresh grid per call: the result keeps it (pair-grid.ts), so it cannot be reused.
    const marks = new Uint8Array(n * m);
    const counts = markPairs(input, extremes(input), sign, this.options.epsilon, marks);
    return pairsFromMarks(marks, n, m, countPairs(input), counts);
  }
}

/**
 * Marks the pairs the miner keeps: a positive when it is within ε of being farther than the
 * anchor's closest negative, a negative when it is within ε of being closer than its farthest
 * positive. filterPairs' loop with the test inlined (a closure call per pair cost as much as the
 * rest), in a function of its own so that V8 compiles it whole (see losses/fused-pairs.ts).
 * Returns how many of each kind it marked.
 */
function markPairs(
  { mat, labels, refLabels, n, m, self }: MinerInput,
  { hardPos, hardNeg }: { hardPos: Int32Array; hardNeg: Int32Array },
  sign: number,
  epsilon: number,
  marks: Uint8Array,
): MarkCounts {
  let positives = 0;
  let negatives = 0;
  // Local copies: an imported binding can compile to a getter call (tsx), once per pair.
  const keepPositive = KEEP_POSITIVE;
  const keepNegative = KEEP_NEGATIVE;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const closestNeg = hardNeg[i] >= 0 ? mat[row + hardNeg[i]] : NaN;
    const farthestPos = hardPos[i] >= 0 ? mat[row + hardPos[i]] : NaN;
    const label = labels[i];
    const own = self[i];
    for (let j = 0; j < m; j++) {
      if (j === own) continue;
      const d = mat[row + j];
      if (label === refLabels[j]) {
        // false when NaN: no negative
        if (sign * (d - closestNeg) > -epsilon) {
          marks[row + j] = keepPositive;
          positives++;
        }
      } else if (sign * (farthestPos - d) > -epsilon) {
        marks[row + j] = keepNegative;
        negatives++;
      }
    }
  }
  return { positives, negatives };
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
