/**
 * Backward compatibility (BCT, Shen et al., CVPR 2020): train the new model so that its
 * embeddings still work with the *old* model's classifier. Here the old classifier is a set of
 * frozen class prototypes in the old embedding space (the old model's mean unit embedding of each
 * class; BCT extends the old classifier to new classes the same way, from the old model's
 * embeddings of the new classes' images). The "influence loss" is the softmax cross-entropy of
 * the new embeddings against those prototypes with cosine logits s·cos(e, p_c): it pulls each new
 * embedding towards its class's old prototype, so a gallery embedded by the old model can be
 * searched with queries embedded by the new one without re-embedding the gallery.
 */
import * as tf from '../tf';
import { l2NormalizeRows } from '../distances';
import type { LabelsLike } from '../types';
import { checkEmbeddings, checkNumber, fail, labelsToArray } from '../validate';

/**
 * Unit mean embedding of each class 0..numClasses-1 ([numClasses, D]); every class must occur.
 *
 * @example
 * const protos = classPrototypes(tf.tensor2d([[1, 0], [0.8, 0.6], [0, 1]]), [0, 0, 1], 2);
 * protos.arraySync(); // [[0.949, 0.316], [0, 1]]
 */
export function classPrototypes(embeddings: tf.Tensor2D, labels: LabelsLike, numClasses: number): tf.Tensor2D {
  const fn = 'classPrototypes';
  const n = checkEmbeddings(fn, embeddings);
  const y = labelsToArray(fn, labels, n);
  checkNumber(fn, 'numClasses', numClasses, { min: 1, integer: true });
  const counts = new Array<number>(numClasses).fill(0);
  y.forEach((c, i) => {
    if (c < 0 || c >= numClasses) fail(fn, 'labels', `lie in [0, ${numClasses})`, `${c} at index ${i}`);
    counts[c]++;
  });
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0) fail(fn, 'labels', 'hold at least one image of every class', `none of class ${missing}`);
  return tf.tidy(() => {
    const members = tf.oneHot(tf.tensor1d(y, 'int32'), numClasses).toFloat(); // [N, C]
    return l2NormalizeRows(tf.matMul(members, l2NormalizeRows(embeddings), true, false));
  });
}

export interface CompatibilityOptions {
  /** The old model's class prototypes [C, D] (e.g. from classPrototypes); label c uses row c. Kept, not copied: dispose it after training. */
  prototypes: tf.Tensor2D;
  /** Scale s of the cosine logits. Default 16. */
  scale?: number;
}

/** The influence loss: new embeddings classified by the old, frozen prototypes. */
export interface BackwardCompatibility {
  readonly numClasses: number;
  compute(embeddings: tf.Tensor2D, labels: LabelsLike): tf.Scalar;
}

/**
 * Builds the backward-compatibility (influence) loss.
 *
 * @example
 * const oldEmbeddings = modelEmbedding(oldModel)(stage1.train.x);        // stage 1: digits 0-4
 * const bct = backwardCompatibility({ prototypes: classPrototypes(oldEmbeddings, stage1.train.y, 5) });
 * const loss = bct.compute(embeddings, labels); // new model's batch: small when it sits on the old prototypes
 */
export function backwardCompatibility(options: CompatibilityOptions): BackwardCompatibility {
  const fn = 'backwardCompatibility';
  const prototypes = options?.prototypes;
  checkEmbeddings(fn, prototypes, { arg: 'options.prototypes' });
  const scale = checkNumber(fn, 'options.scale', options.scale ?? 16, { min: 0, minExclusive: true });
  const [numClasses, dim] = prototypes.shape;
  return {
    numClasses,
    compute(embeddings, labels) {
      const n = checkEmbeddings(fn, embeddings, { checkFinite: false });
      if (embeddings.shape[1] !== dim)
        fail(fn, 'embeddings', `have the prototypes' width (${dim})`, `width ${embeddings.shape[1]}`);
      const y = labelsToArray(fn, labels, n);
      const bad = y.findIndex((c) => c < 0 || c >= numClasses);
      if (bad >= 0) fail(fn, 'labels', `name a prototype row in [0, ${numClasses})`, `${y[bad]} at index ${bad}`);
      return tf.tidy(() => {
        const logits = tf.mul(tf.matMul(l2NormalizeRows(embeddings), l2NormalizeRows(prototypes), false, true), scale);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), numClasses), logits) as tf.Scalar;
      });
    },
  };
}
