/**
 * Turning a sampler's batch into model input. Two batch forms are accepted: a plain Int32Array
 * of dataset indices (PK, shuffled batches; a miner may pick tuples from it), and a tuple batch
 * `{ indices, triplets }` / `{ indices, pairs }` whose tuples are positions in `indices`
 * (lib/samplers' RandomTripletSampler and RandomPairSampler), handed to the loss as mined. The
 * contracts (BatchSampler, TupleSampler, TrainSampler) are in lib/samplers/types.ts.
 */
import * as tf from '../tf';
import type { TupleBatch } from '../samplers/types';
import type { MinedIndices } from '../types';
import type { BatchTransform, BatchTransformInfo } from './types';
import { fail } from '../validate';

/** A batch ready for a step: dataset rows and, for tuple batches, the given tuples. */
export interface ResolvedBatch {
  indices: Int32Array;
  tuples?: MinedIndices;
}

/** Normalises and checks one batch against the dataset size. */
export function resolveBatch(batch: Int32Array | TupleBatch, n: number, where: string): ResolvedBatch {
  const indices = batch instanceof Int32Array ? batch : batch?.indices;
  if (!(indices instanceof Int32Array) || indices.length === 0) {
    fail('train', 'sampler', 'yield non-empty Int32Array batches or { indices, triplets | pairs }', where);
  }
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] < 0 || indices[i] >= n)
      fail('train', 'sampler', `yield indices in [0, ${n - 1}]`, `${indices[i]} in ${where}`);
  }
  if (batch instanceof Int32Array) return { indices };
  const tuples = batch.triplets ?? batch.pairs;
  if (!tuples) fail('train', 'sampler', 'give triplets or pairs with each { indices } batch', where);
  for (const [key, arr] of Object.entries(tuples) as [string, Int32Array][]) {
    if (arr.some((p) => p < 0 || p >= indices.length)) {
      fail('train', 'sampler', `give tuple positions in [0, ${indices.length - 1}]`, `${key} out of range in ${where}`);
    }
  }
  return { indices, tuples };
}

/**
 * The rows of x at `indices`, passed through the optional `transform` (in x's own row shape),
 * then reshaped to the model's input shape (images ↔ flat rows). One tidy around all of it, so
 * whatever the transform allocates is released even when it throws.
 */
export function gatherBatch(
  x: tf.Tensor,
  indices: Int32Array,
  inputShape: number[],
  transform?: BatchTransform,
  info?: BatchTransformInfo,
): tf.Tensor {
  return tf.tidy(() => {
    let rows = tf.gather(x, tf.tensor1d(indices, 'int32'));
    if (transform) rows = applyTransform(transform, rows, info ?? { step: 0, epoch: 0 });
    return rows.reshape([indices.length, ...inputShape]);
  });
}

function applyTransform(transform: BatchTransform, rows: tf.Tensor, info: BatchTransformInfo): tf.Tensor {
  const out = transform(rows, { ...info });
  const where = `step ${info.step}`;
  if (!(out instanceof tf.Tensor)) fail('train', 'data.transform', 'return a tensor', `${typeof out} at ${where}`);
  const same = out.rank === rows.rank && out.shape.every((d, k) => d === rows.shape[k]);
  if (!same) {
    fail(
      'train',
      'data.transform',
      `return the batch's shape [${rows.shape.join(',')}]`,
      `[${out.shape.join(',')}] at ${where}`,
    );
  }
  if (out.dtype !== rows.dtype)
    fail('train', 'data.transform', `return dtype ${rows.dtype}`, `${out.dtype} at ${where}`);
  // A clone, so a transform that hands back a tensor it keeps elsewhere never sees it disposed.
  return out.clone();
}

/** Labels of the batch rows. */
export function batchLabels(labels: Int32Array, indices: Int32Array): Int32Array {
  return Int32Array.from(indices, (i) => labels[i]);
}
