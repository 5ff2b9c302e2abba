/**
 * The embedding head every embedder ends with: optional projection MLP, the linear layer named
 * `embedding` (which `classifierHead` attaches to), then optional L2 normalisation.
 */
import * as tf from '../tf';
import type { SeededInitializers } from './initializers';
import { L2Normalize } from './l2-normalize';
import type { ResolvedHead } from './options';

/** Layer names the rest of the library relies on (classifier head, embedding plots). */
export const EMBEDDING_LAYER = 'embedding';
export const NORMALIZE_LAYER = 'l2_normalize';

export function embeddingHead(
  features: tf.SymbolicTensor,
  head: ResolvedHead,
  init: SeededInitializers,
): tf.SymbolicTensor {
  let x = features;
  if (head.projection !== undefined) {
    x = tf.layers
      .dense({ units: head.projection, activation: 'relu', kernelInitializer: init.he(), name: 'projection' })
      .apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers
    .dense({ units: head.embeddingDim, kernelInitializer: init.glorot(), name: EMBEDDING_LAYER })
    .apply(x) as tf.SymbolicTensor;
  if (head.normalize) x = new L2Normalize({ name: NORMALIZE_LAYER }).apply(x) as tf.SymbolicTensor;
  return x;
}
