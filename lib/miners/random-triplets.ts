import { toRandom, type Random, type SeedLike } from '../random';
import { distances } from '../distances';
import type { MinerResult } from '../types';
import { BaseMiner, countTriplets, splitCandidates, TripletList, type MinerInput } from './base';

class RandomTripletsMiner extends BaseMiner {
  constructor(private readonly rng: Random) {
    super('randomTriplets', distances.euclidean());
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
export function randomTriplets({ seed }: { seed: SeedLike }): BaseMiner {
  return new RandomTripletsMiner(toRandom(seed).fork('randomTriplets'));
}
