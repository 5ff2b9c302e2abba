import { distances, type Distance } from '../distances';
import type { MinerResult } from '../types';
import { checkNumber } from '../validate';
import { BaseMiner, filterPairs, type MinerInput } from './base';

class PairMarginMiner extends BaseMiner {
  constructor(
    private readonly posMargin: number,
    private readonly negMargin: number,
    distance: Distance,
  ) {
    super('pairMargin', distance);
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const { distance } = input;
    return filterPairs(input, (_i, _j, d, positive) =>
      positive ? distance.marginOf(d, this.posMargin) > 0 : distance.marginOf(this.negMargin, d) > 0,
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
export function pairMargin(options: { posMargin?: number; negMargin?: number; distance?: Distance } = {}): BaseMiner {
  const posMargin = checkNumber('pairMargin', 'posMargin', options.posMargin ?? 0.2);
  const negMargin = checkNumber('pairMargin', 'negMargin', options.negMargin ?? 0.8);
  return new PairMarginMiner(posMargin, negMargin, options.distance ?? distances.euclidean());
}
