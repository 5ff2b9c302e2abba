/**
 * Distances of every pair of a set of embeddings with same-class flags: the input of distance
 * histograms, verification metrics (AUC, a threshold's false-accept rate) and mean positive /
 * negative distances in the units a loss uses.
 */
import * as tf from '../tf';
import { checkEmbeddings, labelsToArray } from '../validate';

/** Pair i < j in row-major order: its distance and whether both share a label. */
export interface PairDistances {
  d: Float32Array;
  same: Uint8Array;
}

/**
 * Euclidean (or, with `squared`, squared Euclidean) distances of all pairs i < j.
 *
 * @example
 * const { d, same } = pairDistances(embeddings, labels, { squared: true });
 * verificationMetrics(d, same, 'distance').auc;
 */
export function pairDistances(
  embeddings: tf.Tensor2D,
  labels: ArrayLike<number>,
  options: { squared?: boolean } = {},
): PairDistances {
  const fn = 'pairDistances';
  checkEmbeddings(fn, embeddings);
  const y = labelsToArray(fn, labels, embeddings.shape[0]);
  const gram = tf.tidy(() => tf.matMul(embeddings, embeddings, false, true).dataSync());
  const n = y.length;
  const d = new Float32Array((n * (n - 1)) / 2);
  const same = new Uint8Array(d.length);
  let t = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, t++) {
      const sq = Math.max(0, gram[i * n + i] + gram[j * n + j] - 2 * gram[i * n + j]);
      d[t] = options.squared ? sq : Math.sqrt(sq);
      same[t] = y[i] === y[j] ? 1 : 0;
    }
  }
  return { d, same };
}

/**
 * Mean distance of same-class (positive) and different-class (negative) pairs.
 *
 * @example
 * meanPairDistances(pairDistances(embeddings, labels, { squared: true })); // e.g. { positive: 0.41, negative: 1.62 }
 */
export function meanPairDistances({ d, same }: PairDistances): { positive: number; negative: number } {
  const sum = [0, 0];
  const count = [0, 0];
  d.forEach((v, i) => {
    sum[same[i]] += v;
    count[same[i]]++;
  });
  return { positive: sum[1] / count[1], negative: sum[0] / count[0] };
}
