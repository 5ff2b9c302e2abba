import { toRandom, type Random, type SeedLike } from '../random';
import { distances } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import type { MinerResult } from '../types';
import { BaseMiner, countTriplets, splitCandidates, TripletList, type MinerInput } from './base';

export interface RandomTripletsOptions {
  /** Seed of the draws. */
  seed: SeedLike;
}

/** The kind of each option, for the option check and the command line. */
export const RANDOM_TRIPLETS_OPTIONS: OptionKinds<RandomTripletsOptions> = { seed: 'seed' };

class RandomTripletsMiner extends BaseMiner {
  /** The draws, seeded from options.seed. */
  private readonly rng: Random;

  constructor(readonly options: Resolved<RandomTripletsOptions>) {
    super('randomTriplets', distances.euclidean());
    this.rng = toRandom(options.seed).fork('randomTriplets');
  }

  protected mineFrom(input: MinerInput): MinerResult {
    const out = new TripletList();
    for (let a = 0; a < input.n; a++) {
      const { positives, negatives } = splitCandidates(input, a);
      if (positives.length === 0 || negatives.length === 0) continue;
      out.push(a, positives[this.rng.int(positives.length)], negatives[this.rng.int(negatives.length)]);
    }
    return out.result(countTriplets(input));
  }
}

/**
 * Random triplets from a batch: per anchor with a positive and a negative, one positive and one
 * negative drawn uniformly, blind to the embedding (the "no mining" stage of a curriculum, with
 * as many triplets as batch-hard mines). Seeded: the same seed and batches give the same triplets.
 *
 * @example
 * const mined = miners.randomTriplets({ seed: 1 }).mine(embeddings, labels); // one triplet per anchor
 */
export function randomTriplets(options: RandomTripletsOptions): BaseMiner {
  checkOptions('randomTriplets', options, RANDOM_TRIPLETS_OPTIONS, ['seed']);
  return new RandomTripletsMiner(withDefaults<RandomTripletsOptions>({ seed: options.seed }, options));
}
