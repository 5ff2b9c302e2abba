import { distances } from '../distances';
import { toRandom, type Random, type SeedLike } from '../random';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, countTriplets, splitCandidates, TripletList, type MinerInput } from './base';

export interface DistanceWeightedOptions {
  /** Distances below are raised to it, to tame the weights' variance (default 0.5). */
  cutoff?: number;
  /** Negatives at or beyond it would give zero loss and are never drawn (default 1.4). */
  nonzeroLossCutoff?: number;
  /** Seed of the negative draws (default 0). */
  seed?: SeedLike;
}

/** The kind of each option, for the option check and the command line. */
export const DISTANCE_WEIGHTED_OPTIONS: OptionKinds<DistanceWeightedOptions> = {
  cutoff: 'number',
  nonzeroLossCutoff: 'number',
  seed: 'seed',
};

class DistanceWeightedMiner extends BaseMiner {
  /** The negative draws, seeded from options.seed. */
  private readonly rng: Random;

  constructor(readonly options: Resolved<DistanceWeightedOptions>) {
    super('distanceWeighted', distances.euclidean({ normalize: true }));
    this.rng = toRandom(options.seed).fork('distanceWeighted');
  }

  /** Inverse of the density of distances between points on the unit sphere in `dim` dims, in logs. */
  private logWeight(d: number, dim: number): number {
    const x = Math.max(d, this.options.cutoff);
    return (2 - dim) * Math.log(x) - ((dim - 3) / 2) * Math.log(Math.max(1 - 0.25 * x * x, 1e-12));
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { mat, labels, refLabels, n, m, dim } = input;
    const out = new TripletList();
    const weights = new Float64Array(m);
    for (let a = 0; a < n; a++) {
      let maxLog = -Infinity;
      for (let q = 0; q < m; q++) {
        const ok = refLabels[q] !== labels[a] && mat[a * m + q] < this.options.nonzeroLossCutoff;
        weights[q] = ok ? this.logWeight(mat[a * m + q], dim) : -Infinity;
        maxLog = Math.max(maxLog, weights[q]);
      }
      if (maxLog === -Infinity) continue; // no negative with a non-zero loss
      let total = 0;
      for (let q = 0; q < m; q++) total += weights[q] = Math.exp(weights[q] - maxLog);
      for (const p of splitCandidates(input, a).positives) {
        let r = this.rng.uniform() * total;
        let pick = -1; // ends on the last candidate if rounding leaves r >= 0
        for (let q = 0; q < m && r >= 0; q++) {
          if (weights[q] === 0) continue;
          pick = q;
          r -= weights[q];
        }
        out.push(a, p, pick);
      }
    }
    return out.result(countTriplets(input));
  }
}

/**
 * Distance-weighted sampling (Wu et al. 2017): for each positive pair, one negative drawn with
 * probability ∝ 1/q(d) (q the density of distances on the unit sphere), d clamped at `cutoff`,
 * negatives beyond `nonzeroLossCutoff` excluded. Euclidean on normalized embeddings; seeded.
 *
 * @example
 * const miner = miners.distanceWeighted({ cutoff: 0.5, nonzeroLossCutoff: 1.4, seed: 7 });
 * losses.marginLoss().compute(embeddings, labels, miner.mine(embeddings, labels));
 */
export function distanceWeighted(options?: DistanceWeightedOptions): BaseMiner {
  const fn = 'distanceWeighted';
  checkOptions(fn, options, DISTANCE_WEIGHTED_OPTIONS);
  const o = withDefaults<DistanceWeightedOptions>({ cutoff: 0.5, nonzeroLossCutoff: 1.4, seed: 0 }, options);
  checkNumber(fn, 'cutoff', o.cutoff, { min: 0, max: 2 });
  checkNumber(fn, 'nonzeroLossCutoff', o.nonzeroLossCutoff, { min: 0, max: 2, minExclusive: true });
  return new DistanceWeightedMiner(o);
}
