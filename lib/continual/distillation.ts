/**
 * Embedding distillation for continual learning: keep a new model's embeddings close to those of
 * the previous (frozen) model on the same images, so training on new classes does not wipe out
 * what the old model knew. Two forms:
 *
 * - 'l2': mean over the batch of |f_new(x) − f_old(x)|² (the new model stays in the old
 *   coordinates, so old and new embeddings remain comparable);
 * - 'relational': the distance-wise loss of relational knowledge distillation (Park et al.,
 *   CVPR 2019): pairwise Euclidean distances of the batch, each divided by the batch's mean
 *   distance, compared with a Huber (smooth-L1, δ = 1) loss. It keeps the *shape* of the old
 *   space (who is near whom) but not its coordinates: any rotation of it costs nothing.
 */
import * as tf from '../tf';
import { safeSqrt } from '../distances';
import { checkEmbeddings, checkOneOf, fail } from '../validate';

export const DISTILLATION_TYPES = ['l2', 'relational'] as const;
export type DistillationType = (typeof DISTILLATION_TYPES)[number];

export interface DistillationOptions {
  type: DistillationType;
}

/** A distillation term: student and teacher embeddings of the same images, row by row. */
export interface EmbeddingDistillation {
  readonly type: DistillationType;
  /** Scalar loss; gradients flow into `student` (and `teacher`, which a caller keeps frozen). */
  compute(student: tf.Tensor2D, teacher: tf.Tensor2D): tf.Scalar;
}

/**
 * Builds a distillation term.
 *
 * @example
 * const distill = embeddingDistillation({ type: 'relational' });
 * const student = tf.tensor2d([[1, 0], [0, 1], [0.6, 0.8]]);
 * const teacher = tf.tensor2d([[0, 1], [-1, 0], [-0.8, 0.6]]); // the same space, rotated 90°
 * distill.compute(student, teacher).dataSync()[0]; // 0: the relations are the same
 * embeddingDistillation({ type: 'l2' }).compute(student, teacher).dataSync()[0]; // 2: the coordinates are not
 */
export function embeddingDistillation(options: DistillationOptions): EmbeddingDistillation {
  const fn = 'embeddingDistillation';
  const type = checkOneOf(fn, 'options.type', options?.type, DISTILLATION_TYPES);
  return {
    type,
    compute(student, teacher) {
      const n = checkEmbeddings(fn, student, { checkFinite: false, arg: 'student' });
      checkEmbeddings(fn, teacher, { checkFinite: false, arg: 'teacher' });
      if (teacher.shape[0] !== n)
        fail(fn, 'teacher', `have one row per student row (${n})`, `${teacher.shape[0]} rows`);
      switch (type) {
        case 'l2':
          if (teacher.shape[1] !== student.shape[1])
            fail(
              fn,
              'teacher',
              `have the student's width (${student.shape[1]}) for the 'l2' form`,
              `${teacher.shape[1]}`,
            );
          return tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(student, teacher)), 1)) as tf.Scalar);
        case 'relational':
          if (n < 2) fail(fn, 'student', "have at least 2 rows for the 'relational' form (it compares pairs)", n);
          return tf.tidy(() => {
            const off = tf.sub(1, tf.eye(n)) as tf.Tensor2D;
            const s = normalizedDistances(student, off);
            const t = normalizedDistances(teacher, off);
            return tf.div(tf.sum(tf.mul(huber(tf.sub(s, t)), off)), n * (n - 1)) as tf.Scalar;
          });
        default: {
          const unknown: never = type;
          return fail(fn, 'options.type', 'be a known form', unknown);
        }
      }
    },
  };
}

/** Pairwise Euclidean distances divided by their mean over the off-diagonal pairs. */
function normalizedDistances(x: tf.Tensor2D, off: tf.Tensor2D): tf.Tensor2D {
  const sq = tf.sum(tf.square(x), 1, true);
  const d = safeSqrt(tf.mul(tf.sub(tf.add(sq, tf.transpose(sq)), tf.mul(tf.matMul(x, x, false, true), 2)), off));
  const mean = tf.div(tf.sum(tf.mul(d, off)), tf.sum(off));
  return tf.div(d, tf.maximum(mean, 1e-12)) as tf.Tensor2D;
}

/** Smooth-L1 with δ = 1 (torch's F.smooth_l1_loss, as the RKD paper uses). */
function huber(x: tf.Tensor): tf.Tensor {
  const a = tf.abs(x);
  const inner = tf.minimum(a, 1); // 0.5·x² below 1, |x| − 0.5 above, without a branch
  return tf.add(tf.mul(tf.square(inner), 0.5), tf.sub(a, inner));
}
