import { distances, type Distance } from '../distances';
import type { MinerResult } from '../types';
import { BaseMiner, countTriplets, TripletList, type MinerInput } from './base';

class SemiHardMiner extends BaseMiner {
  constructor(distance: Distance) {
    super('semiHard', distance);
  }

  protected mineFrom({ mat, labels, n, distance }: MinerInput): MinerResult {
    const out = new TripletList();
    for (let a = 0; a < n; a++) {
      for (let p = 0; p < n; p++) {
        if (p === a || labels[p] !== labels[a]) continue;
        const ap = mat[a * n + p];
        let inside = -1; // closest negative farther than the positive
        let farthest = -1; // fallback when there is none
        for (let q = 0; q < n; q++) {
          if (labels[q] === labels[a]) continue;
          const an = mat[a * n + q];
          if (farthest < 0 || distance.marginOf(an, mat[a * n + farthest]) > 0) farthest = q;
          if (distance.marginOf(an, ap) > 0 && (inside < 0 || distance.marginOf(mat[a * n + inside], an) > 0))
            inside = q;
        }
        if (farthest >= 0) out.push(a, p, inside >= 0 ? inside : farthest);
      }
    }
    return out.result(countTriplets(labels));
  }
}

/**
 * FaceNet / TensorFlow Addons semi-hard mining: for each positive pair, the closest negative that
 * is farther than the positive; when none is, the farthest negative.
 *
 * @example
 * const mined = miners.semiHard().mine(embeddings, labels); // one triplet per positive pair
 */
export function semiHard({
  distance = distances.euclidean({ squared: true }),
}: { distance?: Distance } = {}): BaseMiner {
  return new SemiHardMiner(distance);
}
