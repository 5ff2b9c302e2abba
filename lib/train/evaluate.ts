/** Embedding a held-out set in chunks and handing it to a metrics function. */
import type * as tf from '../tf';
import { embed } from '../models/embed';
import type { EvaluateOptions } from './types';

/** Runs the evaluation: embeddings → metrics, disposing the embeddings afterwards. */
export async function runEvaluation(model: tf.LayersModel, options: EvaluateOptions): Promise<Record<string, number>> {
  const embeddings = embed(model, options.x, options.batchSize ?? 256);
  try {
    return { ...(await options.metrics(embeddings, options.labels)) };
  } finally {
    embeddings.dispose();
  }
}
