import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { checkNumber, checkOneOf } from '../validate';
import { BaseMiner, countTriplets, splitCandidates, TripletList, type MinerInput } from './base';

export const TRIPLET_TYPES = ['all', 'hard', 'semihard', 'easy'] as const;
export type TripletType = (typeof TRIPLET_TYPES)[number];

export interface TripletMarginMinerOptions {
  /** Default 0.2. */
  margin?: number;
  /** Which triplets, by m = d_an - d_ap: all m <= margin; hard m <= 0; semihard 0 < m <= margin; easy m > margin. */
  type?: TripletType;
  distance?: Distance;
}

/** Whether a triplet with margin m = d_an - d_ap is kept (exhaustive: a new type must be handled). */
/** The kind of each option, for the option check and the command line. */
export const TRIPLET_MARGIN_MINER_OPTIONS: OptionKinds<TripletMarginMinerOptions> = {
  margin: 'number',
  type: TRIPLET_TYPES,
  distance: 'object',
};

function keeps(type: TripletType, m: number, margin: number): boolean {
  switch (type) {
    case 'all':
      return m <= margin;
    case 'hard':
      return m <= 0;
    case 'semihard':
      return m > 0 && m <= margin;
    case 'easy':
      return m > margin;
  }
}

class TripletMarginMiner extends BaseMiner {
  constructor(readonly options: Resolved<TripletMarginMinerOptions>) {
    super('tripletMargin', options.distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { mat, n, m, distance } = input;
    const out = new TripletList();
    for (let a = 0; a < n; a++) {
      const { positives, negatives } = splitCandidates(input, a);
      for (const p of positives) {
        for (const q of negatives) {
          if (keeps(this.options.type, distance.marginOf(mat[a * m + q], mat[a * m + p]), this.options.margin))
            out.push(a, p, q);
        }
      }
    }
    return out.result(countTriplets(input));
  }
}

/**
 * Triplet margin mining (pytorch-metric-learning's TripletMarginMiner; 'all' with a margin is
 * batch-all mining of the triplets that still have a loss). A mistyped `type` throws.
 *
 * @example
 * const mined = miners.tripletMargin({ margin: 0.2, type: 'semihard' }).mine(embeddings, labels);
 */
export function tripletMargin(options?: TripletMarginMinerOptions): BaseMiner {
  const fn = 'tripletMarginMiner';
  checkOptions(fn, options, TRIPLET_MARGIN_MINER_OPTIONS);
  const o = withDefaults<TripletMarginMinerOptions>(
    { margin: 0.2, type: 'all', distance: distances.euclidean() },
    options,
  );
  checkNumber(fn, 'margin', o.margin, { min: 0 });
  checkOneOf(fn, 'type', o.type, TRIPLET_TYPES);
  return new TripletMarginMiner(o);
}
