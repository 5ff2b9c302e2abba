import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { BaseMiner, countTriplets, splitCandidates, TripletList, type MinerInput } from './base';
import { checkSkipFraction, withoutHardestNegatives } from './skip-hardest';

class SemiHardMiner extends BaseMiner {
  constructor(readonly options: Resolved<SemiHardOptions>) {
    super('semiHard', options.distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { mat, n, m, distance } = input;
    const out = new TripletList();
    for (let a = 0; a < n; a++) {
      const { positives, negatives: all } = splitCandidates(input, a);
      const negatives =
        this.options.skipHardestNegatives > 0
          ? withoutHardestNegatives(input, a, all, this.options.skipHardestNegatives)
          : all;
      for (const p of positives) {
        const ap = mat[a * m + p];
        let inside = -1; // closest negative farther than the positive
        let farthest = -1; // fallback when there is none
        for (const q of negatives) {
          const an = mat[a * m + q];
          if (farthest < 0 || distance.marginOf(an, mat[a * m + farthest]) > 0) farthest = q;
          if (distance.marginOf(an, ap) > 0 && (inside < 0 || distance.marginOf(mat[a * m + inside], an) > 0))
            inside = q;
        }
        if (farthest >= 0) out.push(a, p, inside >= 0 ? inside : farthest);
      }
    }
    return out.result(countTriplets(input));
  }
}

export interface SemiHardOptions {
  /** Default squared euclidean (the course's triplet loss). */
  distance?: Distance;
  /** Fraction of each anchor's closest negatives never used, in [0, 1) (default 0; see batchHard). */
  skipHardestNegatives?: number;
}

/** The kind of each option, for the option check and the command line. */
export const SEMI_HARD_OPTIONS: OptionKinds<SemiHardOptions> = { distance: 'object', skipHardestNegatives: 'number' };

/**
 * FaceNet / TensorFlow Addons semi-hard mining: for each positive pair, the closest negative that
 * is farther than the positive; when none is, the farthest negative.
 *
 * @example
 * const mined = miners.semiHard().mine(embeddings, labels); // one triplet per positive pair
 * miners.semiHard({ skipHardestNegatives: 0.2 }); // choose among all but each anchor's closest 20% of negatives
 */
export function semiHard(options?: SemiHardOptions): BaseMiner {
  checkOptions('semiHard', options, SEMI_HARD_OPTIONS);
  const o = withDefaults<SemiHardOptions>(
    { distance: distances.euclidean({ squared: true }), skipHardestNegatives: 0 },
    options,
  );
  checkSkipFraction('semiHard', o.skipHardestNegatives);
  return new SemiHardMiner(o);
}
