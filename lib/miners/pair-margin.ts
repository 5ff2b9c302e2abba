import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, filterPairs, type MinerInput } from './base';

export interface PairMarginOptions {
  /** Positive pairs farther than it are kept (default 0.2). */
  posMargin?: number;
  /** Negative pairs closer than it are kept (default 0.8). */
  negMargin?: number;
  /** Default euclidean. */
  distance?: Distance;
}

/** The kind of each option, for the option check and the command line. */
export const PAIR_MARGIN_OPTIONS: OptionKinds<PairMarginOptions> = {
  posMargin: 'number',
  negMargin: 'number',
  distance: 'object',
};

class PairMarginMiner extends BaseMiner {
  constructor(readonly options: Resolved<PairMarginOptions>) {
    super('pairMargin', options.distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { distance } = input;
    return filterPairs(input, (_i, _j, d, positive) =>
      positive ? distance.marginOf(d, this.options.posMargin) > 0 : distance.marginOf(this.options.negMargin, d) > 0,
    );
  }
}

/**
 * Pair margin mining: positive pairs farther than `posMargin`, negative pairs closer than `negMargin`.
 *
 * @example
 * const mined = miners.pairMargin({ posMargin: 0.2, negMargin: 0.8 }).mine(embeddings, labels);
 * losses.contrastive().compute(embeddings, labels, mined);
 */
export function pairMargin(options?: PairMarginOptions): BaseMiner {
  checkOptions('pairMargin', options, PAIR_MARGIN_OPTIONS);
  const o = withDefaults<PairMarginOptions>(
    { posMargin: 0.2, negMargin: 0.8, distance: distances.euclidean() },
    options,
  );
  checkNumber('pairMargin', 'posMargin', o.posMargin);
  checkNumber('pairMargin', 'negMargin', o.negMargin);
  return new PairMarginMiner(o);
}
