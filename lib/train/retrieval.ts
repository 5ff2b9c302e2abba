/**
 * The usual evaluation for `train`: retrieval metrics (lib/eval) on a held-out set, each query
 * searched among the other held-out items. Kept in its own module so the loop itself does not
 * depend on lib/eval.
 */
import type * as tf from '../tf';
import { retrievalMetrics } from '../eval/retrieval';
import type { EvaluateOptions, MetricsFn } from './types';

export interface RetrievalEvaluationOptions {
  /** Evaluate every N epochs. Default 1. */
  every?: number;
  /** Recall@K values to report (as recallAtK fields). Default [1, 2, 4, 8]. */
  recallAtK?: number[];
  /** Also evaluate the untrained model. Default false. */
  atStart?: boolean;
  batchSize?: number;
}

/**
 * Metrics fn: { recallAt1, recallAt2, ..., mapAtR, rPrecision, precisionAt1 }, self-retrieval
 * with euclidean distance.
 *
 * @example
 * const m = await retrievalMetricsFn()(embeddings, Int32Array.from(labels)); // { recallAt1: 0.8, mapAtR: 0.4, ... }
 */
export function retrievalMetricsFn(recallAtK: number[] = [1, 2, 4, 8]): MetricsFn {
  return (embeddings: tf.Tensor2D, labels: Int32Array) => {
    const m = retrievalMetrics({ queries: embeddings, queryLabels: labels, recallAtK });
    const out: Record<string, number> = {};
    for (const k of recallAtK) out[`recallAt${k}`] = m.recallAtK[k];
    out.mapAtR = m.mapAtR;
    out.rPrecision = m.rPrecision;
    out.precisionAt1 = m.precisionAt1;
    return out;
  };
}

/**
 * `evaluate` options for train: retrieval metrics on (x, labels).
 *
 * @example
 * await train({ ...opts, evaluate: retrievalEvaluation(testImages, Int32Array.from(testLabels), { every: 2 }),
 *   earlyStopping: { monitor: 'recallAt1', patience: 3 } });
 */
export function retrievalEvaluation(
  x: tf.Tensor,
  labels: Int32Array,
  options: RetrievalEvaluationOptions = {},
): EvaluateOptions {
  return {
    x,
    labels,
    every: options.every ?? 1,
    atStart: options.atStart ?? false,
    batchSize: options.batchSize,
    metrics: retrievalMetricsFn(options.recallAtK),
  };
}
