import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { BaseMiner, countTriplets, extremes, splitCandidates, TripletList, type MinerInput } from './base';
import { checkSkipFraction, withoutHardestNegatives } from './skip-hardest';

class BatchHardMiner extends BaseMiner {
  constructor(readonly options: Resolved<BatchHardOptions>) {
    super('batchHard', options.distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { hardPos, hardNeg } = extremes(input);
    const out = new TripletList();
    for (let i = 0; i < input.n; i++) {
      if (hardPos[i] < 0 || hardNeg[i] < 0) continue;
      out.push(i, hardPos[i], this.options.skipHardestNegatives > 0 ? this.closestKeptNegative(input, i) : hardNeg[i]);
    }
    return out.result(countTriplets(input));
  }

  /** The closest negative once the hardest `skip` fraction of anchor i's negatives is set aside. */
  private closestKeptNegative(input: MinerInput, i: number): number {
    const { mat, m, distance } = input;
    const kept = withoutHardestNegatives(
      input,
      i,
      splitCandidates(input, i).negatives,
      this.options.skipHardestNegatives,
    );
    return kept.reduce((best, j) => (distance.marginOf(mat[i * m + best], mat[i * m + j]) > 0 ? j : best));
  }
}

export interface BatchHardOptions {
  distance?: Distance;
  /**
   * Fraction of each anchor's closest negatives to ignore before taking the hardest, in [0, 1)
   * (default 0). With noisy labels the very closest "negatives" are often mislabelled positives.
   */
  skipHardestNegatives?: number;
}

/** The kind of each option, for the option check and the command line. */
export const BATCH_HARD_OPTIONS: OptionKinds<BatchHardOptions> = { distance: 'object', skipHardestNegatives: 'number' };

/**
 * Batch-hard mining (Hermans et al. 2017): for each anchor with a positive and a negative, its
 * farthest positive and closest negative (or, with `skipHardestNegatives`, the closest negative
 * left after ignoring that fraction of the closest ones).
 *
 * @example
 * const mined = miners.batchHard().mine(embeddings, labels); // { a, p, n, stats }
 * losses.tripletMargin().compute(embeddings, labels, mined);
 * miners.batchHard({ skipHardestNegatives: 0.2 }); // noisy labels: skip each anchor's closest 20% of negatives
 */
export function batchHard(options?: BatchHardOptions): BaseMiner {
  checkOptions('batchHard', options, BATCH_HARD_OPTIONS);
  const o = withDefaults<BatchHardOptions>({ distance: distances.euclidean(), skipHardestNegatives: 0 }, options);
  checkSkipFraction('batchHard', o.skipHardestNegatives);
  return new BatchHardMiner(o);
}
