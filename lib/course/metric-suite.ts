/**
 * Every evaluation metric of the course on one set of embeddings, so that notebook 15 can put
 * them side by side on the same models: kNN accuracy, Recall@K, R-precision, MAP@R, mAP over the
 * whole ranking, clustering agreement (NMI, AMI of k-means with one cluster per class) and pair
 * verification (ROC AUC, TAR at a fixed FAR). Embeddings are L2-normalised first, so every metric
 * uses the same cosine geometry (the ranking of Euclidean distance on unit vectors).
 */
import * as tf from '../tf';
import { l2NormalizeRows } from '../distances';
import { fullRankingMap } from '../eval/average-precision';
import { ami, nmi } from '../eval/clustering';
import { kMeans } from '../linalg/kmeans';
import { knnAccuracy } from '../eval/knn-accuracy';
import { retrievalMetrics } from '../eval/retrieval';
import { verificationMetrics, type VerificationMetrics } from '../eval/verification';
import type { SeedLike } from '../random';
import { checkEmbeddings, checkNumber, labelsToArray } from '../validate';

/** The metrics of one embedding of one image set: all in [0, 1] except AMI, which is 0 for chance and can dip below. */
export interface MetricSuite {
  /** Majority vote of the k nearest (leave-one-out). */
  knnAccuracy: number;
  recallAt1: number;
  recallAtK: number;
  rPrecision: number;
  mapAtR: number;
  /** Average precision over the whole ranking (every same-class item), averaged over queries. */
  map: number;
  nmi: number;
  ami: number;
  /** Area under the ROC curve of all pairs (same vs different class). */
  auc: number;
  /** True accept rate at a false accept rate of at most 1e-2 and 1e-3 (all pairs). */
  tarAtFar1e2: number;
  tarAtFar1e3: number;
}

export type MetricName = keyof MetricSuite;

/** Column names for tables, in the order of the interface. */
export const METRIC_LABELS: Record<MetricName, string> = {
  knnAccuracy: 'kNN acc',
  recallAt1: 'R@1',
  recallAtK: 'R@K',
  rPrecision: 'R-prec',
  mapAtR: 'MAP@R',
  map: 'mAP',
  nmi: 'NMI',
  ami: 'AMI',
  auc: 'AUC',
  tarAtFar1e2: 'TAR@FAR1e-2',
  tarAtFar1e3: 'TAR@FAR1e-3',
};

export interface MetricSuiteOptions {
  /** Seeds k-means (NMI, AMI). */
  clusterSeed: SeedLike;
  /** Neighbours voting in kNN accuracy. Default 5. */
  knnK?: number;
  /** The K of Recall@K. Default 5. */
  recallK?: number;
  /** k-means restarts. Default 1. */
  clusterRestarts?: number;
  /** Lloyd iterations per k-means restart. Default 30. */
  clusterIterations?: number;
}

/**
 * Computes every metric of `MetricSuite` for embeddings [N, D] of labelled images (leave-one-out
 * retrieval among them, all pairs for verification, k-means with one cluster per label).
 *
 * @example
 * const e = modelEmbedding(model)(d.test.x);
 * const s = metricSuite(e, d.test.y, { clusterSeed: 1 });
 * e.dispose();
 * s.mapAtR; s.nmi; s.tarAtFar1e3;
 */
export function metricSuite(
  embeddings: tf.Tensor2D,
  labels: ArrayLike<number>,
  options: MetricSuiteOptions,
): MetricSuite {
  const fn = 'metricSuite';
  checkEmbeddings(fn, embeddings);
  const y = labelsToArray(fn, labels, embeddings.shape[0]);
  const knnK = checkNumber(fn, 'knnK', options.knnK ?? 5, { min: 1, integer: true });
  const recallK = checkNumber(fn, 'recallK', options.recallK ?? 5, { min: 1, integer: true });
  const restarts = checkNumber(fn, 'clusterRestarts', options.clusterRestarts ?? 1, { min: 1, integer: true });
  const maxIterations = checkNumber(fn, 'clusterIterations', options.clusterIterations ?? 30, {
    min: 1,
    integer: true,
  });
  const unit = l2NormalizeRows(embeddings);
  try {
    const vectors = unit.arraySync();
    const r = retrievalMetrics({ queries: vectors, queryLabels: y, recallAtK: [1, recallK], precisionAtK: [1] });
    const classes = new Set(y).size;
    const clusters = kMeans(vectors, { k: classes, seed: options.clusterSeed, restarts, maxIterations }).assignments;
    const v = pairVerification(unit, y);
    return {
      knnAccuracy: knnAccuracy({ queries: vectors, queryLabels: y, k: knnK }),
      recallAt1: r.recallAtK[1],
      recallAtK: r.recallAtK[recallK],
      rPrecision: r.rPrecision,
      mapAtR: r.mapAtR,
      map: fullRankingMap({ queries: vectors, queryLabels: y }),
      nmi: nmi(y, clusters),
      ami: ami(y, clusters),
      auc: v.auc,
      tarAtFar1e2: v.tarAtFar1e2,
      tarAtFar1e3: v.tarAtFar1e3,
    };
  } finally {
    unit.dispose();
  }
}

/** Verification over all pairs i < j, scored by cosine similarity (one matrix product). */
function pairVerification(unit: tf.Tensor2D, y: Int32Array): VerificationMetrics {
  const n = y.length;
  const gram = tf.tidy(() => tf.matMul(unit, unit, false, true).dataSync());
  const scores = new Float32Array((n * (n - 1)) / 2);
  const same = new Uint8Array(scores.length);
  let t = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, t++) {
      scores[t] = gram[i * n + j];
      same[t] = y[i] === y[j] ? 1 : 0;
    }
  }
  return verificationMetrics(scores, same, 'similarity');
}
