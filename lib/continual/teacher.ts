/**
 * Training a new stage against the previous model. `withTeacher` builds one model whose output is
 * [student | teacher] embeddings side by side, with the teacher frozen (its weights are not
 * trainable), so the ordinary training loop (`train`, `trainWithValidation` with
 * `embedder: student`) runs the old model on every batch at no extra plumbing. `continualLoss`
 * splits that output and adds the distillation and compatibility terms to a metric loss on the
 * student's half.
 */
import * as tf from '../tf';
import type { LabelsLike, LossResult, MetricLoss, MinedIndices, Miner } from '../types';
import { checkEmbeddings, checkNumber, fail, labelsToArray } from '../validate';
import type { BackwardCompatibility } from './compatibility';
import type { EmbeddingDistillation } from './distillation';

/**
 * A model mapping images to [student(x) | teacher(x)]; only the student's weights train. The pair
 * owns the student and a frozen *copy* of the teacher (the teacher itself is untouched): dispose
 * the pair when done, which disposes the student and the copy (tfjs disposes nested models with
 * their container, so a shared teacher would be disposed too).
 *
 * @example
 * // oldModel: mlpEmbedder({ inputShape: [28, 28, 1], embeddingDim: 32, seed: 1 }), trained on stage 1
 * const student = mlpEmbedder({ inputShape: [28, 28, 1], embeddingDim: 32, seed: 1 });
 * student.setWeights(oldModel.getWeights());
 * const pair = await withTeacher(student, oldModel); // output [B, 64]: student | frozen teacher
 * const distillation = embeddingDistillation({ type: 'l2' });
 * await trainWithValidation({
 *   model: pair, embedder: student, loss: continualLoss({ loss: losses.tripletMargin({ margin: 0.2 }), embeddingDim: 32, distillation }),
 *   train: stage2.train, validation: stage2.validation, steps: 100, evalEvery: 20, classesPerBatch: 3, samplesPerClass: 8, seed: 1,
 * });
 * pair.dispose(); // the student and the teacher's copy; `oldModel` stays usable
 */
export async function withTeacher(student: tf.LayersModel, teacher: tf.LayersModel): Promise<tf.LayersModel> {
  const fn = 'withTeacher';
  for (const [arg, m] of [
    ['student', student],
    ['teacher', teacher],
  ] as const) {
    if (!(m instanceof tf.LayersModel) || m.inputs.length !== 1 || m.outputs.length !== 1)
      fail(fn, arg, 'be a LayersModel with one input and one output', m);
  }
  const [sIn, tIn] = [student.inputs[0].shape, teacher.inputs[0].shape];
  if (sIn.join() !== tIn.join()) fail(fn, 'teacher', `take the student's input shape [${sIn}]`, `[${tIn}]`);
  const topology = JSON.parse(teacher.toJSON(null, true) as string) as tf.io.ModelJSON['modelTopology'] & {
    config: { name: string };
  };
  topology.config.name = `${teacher.name}_frozen_teacher`;
  const frozen = await tf.models.modelFromJSON({ modelTopology: topology });
  frozen.setWeights(teacher.getWeights());
  frozen.trainable = false;
  const input = tf.input({ shape: sIn.slice(1) as number[], name: 'teacher_pair_input' });
  const both = tf.layers
    .concatenate({ axis: -1 })
    .apply([student.apply(input) as tf.SymbolicTensor, frozen.apply(input) as tf.SymbolicTensor]);
  return tf.model({ inputs: input, outputs: both as tf.SymbolicTensor, name: 'student_teacher' });
}

export interface ContinualLossOptions {
  /** The metric loss of the new stage, on the student's embeddings. */
  loss: MetricLoss;
  /** Mines the student's embeddings for `loss` (runs inside the loss; do not also give it to train). */
  miner?: Miner;
  /** Width D of one model's embedding: inputs are [B, D], or [B, 2D] from withTeacher. */
  embeddingDim: number;
  /** Keeps the student near the teacher on each batch (needs withTeacher's [B, 2D]). */
  distillation?: EmbeddingDistillation;
  /** Weight of the distillation term. Default 1. */
  distillationWeight?: number;
  /** Keeps the student compatible with the old prototypes. */
  compatibility?: BackwardCompatibility;
  /** Weight of the compatibility term. Default 1. */
  compatibilityWeight?: number;
}

/**
 * loss(student) + λ_d · distillation(student, teacher) + λ_c · compatibility(student, labels).
 *
 * @example
 * const loss = continualLoss({
 *   loss: losses.tripletMargin({ margin: 0.2 }), miner: miners.tripletMargin({ margin: 0.2, type: 'semihard' }),
 *   embeddingDim: 32, distillation: embeddingDistillation({ type: 'l2' }), distillationWeight: 1,
 * });
 * const pair = await withTeacher(newModel, oldModel); // [B, 64]: new | old embeddings
 * loss.compute(pair.predict(images) as tf.Tensor2D, labels).loss; // triplet + distillation
 */
export function continualLoss(options: ContinualLossOptions): MetricLoss {
  const fn = 'continualLoss';
  const base = options?.loss;
  if (!base || typeof base.compute !== 'function') fail(fn, 'options.loss', 'be a metric loss', base);
  const dim = checkNumber(fn, 'options.embeddingDim', options.embeddingDim, { min: 1, integer: true });
  const weight = (arg: string, v: number | undefined): number => checkNumber(fn, arg, v ?? 1, { min: 0 });
  const wd = weight('options.distillationWeight', options.distillationWeight);
  const wc = weight('options.compatibilityWeight', options.compatibilityWeight);
  const { miner, distillation, compatibility } = options;
  return {
    name: `continual(${base.name})`,
    trainableWeights: () => base.trainableWeights(),
    compute(embeddings: tf.Tensor2D, labels: LabelsLike, mined?: MinedIndices): LossResult {
      const n = checkEmbeddings(fn, embeddings, { checkFinite: false });
      const width = embeddings.shape[1];
      if (width !== dim && width !== 2 * dim)
        fail(fn, 'embeddings', `have width ${dim} (student) or ${2 * dim} (withTeacher's student | teacher)`, width);
      if (distillation && width !== 2 * dim)
        fail(fn, 'embeddings', `have width ${2 * dim} (withTeacher's output) when distilling`, width);
      const y = labelsToArray(fn, labels, n);
      let stats: LossResult['stats'] | undefined;
      const loss = tf.tidy(() => {
        const student = width === dim ? embeddings : (tf.slice(embeddings, [0, 0], [n, dim]) as tf.Tensor2D);
        let tuples = mined;
        if (miner) {
          const { stats: _ignored, ...indices } = miner.mine(student, y);
          tuples = indices as MinedIndices;
        }
        const result = base.compute(student, y, tuples);
        stats = result.stats;
        let total: tf.Scalar = result.loss;
        if (distillation && wd > 0) {
          const teacher = tf.slice(embeddings, [0, dim], [n, dim]) as tf.Tensor2D;
          total = tf.add(total, tf.mul(distillation.compute(student, teacher), wd));
        }
        if (compatibility && wc > 0) total = tf.add(total, tf.mul(compatibility.compute(student, y), wc));
        return total;
      });
      return { loss, stats: stats as LossResult['stats'] };
    },
  };
}
