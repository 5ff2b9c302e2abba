/** A model's embeddings of a whole set, in chunks: what training, evaluation and the course share. */
import * as tf from '../tf';

/**
 * Embeds x with the model in inference mode, `batchSize` rows at a time (bounded memory).
 *
 * @example
 * const emb = embed(model, testImages); // [N, D]
 */
export function embed(model: tf.LayersModel, x: tf.Tensor, batchSize = 256): tf.Tensor2D {
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  return tf.tidy(() => {
    const n = x.shape[0];
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const rows = x.slice(start, size).reshape([size, ...inputShape]);
      parts.push(model.predict(rows) as tf.Tensor);
    }
    return (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor2D;
  });
}
