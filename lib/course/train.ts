/**
 * Training with model choice on validation classes (Musgrave et al. 2020): every `evalEvery`
 * steps the embedder is scored on the validation classes (disjoint from training and test
 * classes), the best checkpoint is kept, training stops after `patience` checks without
 * improvement, and the best weights are put back. Test classes are never looked at.
 */
import * as tf from '../tf';
import type { BatchTransform, History, OptimizerSpec, ProgressMode } from '../train/types';
import type { TrainSampler } from '../samplers/types';
import { train } from '../train/train';
import { PKSampler } from '../samplers/pk-sampler';
import type { MetricLoss, Miner } from '../types';
import type { KnnDistance } from '../search/exact';
import { checkNumber, fail } from '../validate';
import type { LabelledImages } from './data';
import { healthAt, type CheckHealth } from './health';
import { modelEmbedding, probeScores, type RetrievalScores } from './retrieval';

export interface ValidatedTrainingOptions {
  /** The model trained: an embedder, or a classifier head on one. */
  model: tf.LayersModel;
  /** The embedder scored on validation (and restored). Default: `model`. */
  embedder?: tf.LayersModel;
  loss: MetricLoss;
  miner?: Miner;
  train: LabelledImages;
  validation: LabelledImages;
  /** Most optimisation steps. */
  steps: number;
  /** Steps between validation checks. */
  evalEvery: number;
  /** Checks without a better validation MAP@R before stopping. Default: never stop early. */
  patience?: number;
  /** PK batches: P classes × K images (needed unless `sampler` is given). */
  classesPerBatch?: number;
  samplesPerClass?: number;
  /**
   * Batches other than PK, for losses that train on other batches: any sampler of lib/samplers
   * over `train.y` (random pairs or triplets, plain shuffled batches for a softmax head, ...).
   * Its epochs are read as one stream of batches, with a validation check every `evalEvery`
   * batches whatever its own epoch length. Give it instead of `classesPerBatch`/`samplesPerClass`.
   */
  sampler?: TrainSampler;
  /** Seeds the batches (the model's initial weights come from its own seed). */
  seed: number;
  /** Default adam 1e-3. */
  optimizer?: OptimizerSpec;
  /** The loss's own weights (proxies) get this optimizer instead (see TrainOptions.lossOptimizer). */
  lossOptimizer?: OptimizerSpec;
  /** Training-time augmentation of each batch (see TrainData.transform). */
  transform?: BatchTransform;
  /** Default 'none' (a notebook prints one line per run instead). */
  progress?: ProgressMode;
  /**
   * What a validation check measures (the checkpoint with the best `mapAtR` is kept). Default:
   * clean leave-one-out retrieval on `validation`. E.g. scores under attack for adversarial training.
   */
  validationScore?: (embedder: tf.LayersModel) => RetrievalScores;
  /** How the default validation check ranks neighbours: the distance the embedding will be served with. Default 'cosine'. */
  validationDistance?: KnnDistance;
  /** Also record distances and effective rank of the validation embeddings at each check (collapse watch). */
  health?: boolean;
  /**
   * Score the untrained network too (the step-0 point of `validation`). Default true; false saves
   * one validation pass per run when no curve or steps-to-X needs the starting point.
   */
  scoreUntrained?: boolean;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter 2019): after every optimiser step each
   * kernel of `model` is shrunk, w <- w - learningRate * weightDecay * w (the learning rate of
   * `optimizer`), independently of the gradient, so Adam's per-weight scaling does not weaken it.
   * Biases, and weights of the loss (proxies), are not decayed. Default 0 (off). PyTorch's AdamW
   * uses the same formula (its default is 0.01).
   */
  weightDecay?: number;
  /**
   * Called after every validation check (step 0 included) with the check and the embedder at that
   * step, e.g. to score the training classes too (seen vs unseen curves). It only observes: model
   * choice stays on the validation score, and the hook must not change the weights. Tensors it
   * makes are its own to dispose.
   */
  onCheck?: (point: ValidationPoint, embedder: tf.LayersModel) => void | Promise<void>;
}

/** A validation check: the step it followed and the scores on the validation classes. */
export type ValidationPoint = RetrievalScores & { step: number; health?: CheckHealth };

export interface ValidatedTraining {
  history: History;
  /** Validation scores at step 0 (untrained; unless `scoreUntrained: false`) and after every check. */
  validation: ValidationPoint[];
  /** The step of the restored (best) checkpoint. */
  bestStep: number;
  /** Steps actually run (below `steps` when early stopping ended training). */
  stepsRun: number;
}

/**
 * Reads a sampler's epochs as one stream of batches, cut into epochs of `every` batches, so the
 * training loop's epoch end (where the validation check runs) falls every `every` steps.
 */
function everyNSteps(sampler: TrainSampler, every: number): TrainSampler {
  let cached: { epoch: number; batches: ReturnType<TrainSampler['epoch']> } | null = null;
  const batchAt = (g: number) => {
    const epoch = Math.floor(g / sampler.batchesPerEpoch);
    if (cached?.epoch !== epoch) cached = { epoch, batches: sampler.epoch(epoch) };
    return cached.batches[g % sampler.batchesPerEpoch];
  };
  return {
    name: sampler.name,
    batchesPerEpoch: every,
    epoch: (epochIndex: number) =>
      Array.from({ length: every }, (_, i) => batchAt(epochIndex * every + i)) as ReturnType<TrainSampler['epoch']>,
  } as TrainSampler;
}

/** The batches: the given sampler re-cut to the check interval, or PK batches. */
function batchesFor(fn: string, options: ValidatedTrainingOptions, evalEvery: number): TrainSampler {
  const { sampler } = options;
  if (sampler !== undefined) {
    if (
      typeof sampler?.epoch !== 'function' ||
      !Number.isInteger(sampler.batchesPerEpoch) ||
      sampler.batchesPerEpoch < 1
    )
      fail(fn, 'sampler', 'be a sampler from lib/samplers (epoch(i) and batchesPerEpoch >= 1)', sampler);
    if (options.classesPerBatch !== undefined || options.samplesPerClass !== undefined)
      fail(fn, 'sampler', 'be given without classesPerBatch/samplesPerClass (those shape PK batches)', sampler.name);
    return everyNSteps(sampler, evalEvery);
  }
  if (options.classesPerBatch === undefined || options.samplesPerClass === undefined)
    fail(
      fn,
      'classesPerBatch',
      'be given with samplesPerClass (PK batches), or a sampler given instead',
      options.classesPerBatch,
    );
  return new PKSampler({
    labels: options.train.y,
    classesPerBatch: options.classesPerBatch,
    samplesPerClass: options.samplesPerClass,
    seed: options.seed,
    batchesPerEpoch: evalEvery,
  });
}

/**
 * Trains with PK batches (or the given sampler's batches), checks validation MAP@R every `evalEvery` steps, and leaves the
 * embedder at its best checkpoint.
 *
 * @example
 * const model = mlpEmbedder({ inputShape: [784], seed: 1 });
 * const run = await trainWithValidation({
 *   model, loss: losses.tripletMargin({ margin: 0.2 }), train: d.train, validation: d.validation,
 *   steps: 2000, evalEvery: 100, patience: 5, classesPerBatch: 5, samplesPerClass: 8, seed: 1,
 * });
 * run.bestStep; // e.g. 1400: the embedder now holds the weights of step 1400
 *
 * // Decoupled weight decay, and the training classes scored at every check (for seen-vs-unseen curves):
 * const seenCurve: { step: number; seen: number; validation: number }[] = [];
 * await trainWithValidation({
 *   model: mlpEmbedder({ inputShape: [784], seed: 2 }), loss: losses.tripletMargin({ margin: 0.2 }),
 *   train: d.train, validation: d.validation, steps: 2000, evalEvery: 100, classesPerBatch: 5, samplesPerClass: 8, seed: 2,
 *   weightDecay: 0.01, // w <- w - 1e-3 * 0.01 * w on every kernel after each Adam step
 *   onCheck: (point, embedder) => {
 *     const seen = probeScores(modelEmbedding(embedder), [{ name: 'seen', queries: d.train }]).seen.mapAtR;
 *     seenCurve.push({ step: point.step, seen, validation: point.mapAtR });
 *   },
 * });
 *
 * // Other batches: random triplets (no mining) for the same early stopping.
 * const sampler = new RandomTripletSampler({ labels: d.train.y, tripletsPerBatch: 32, seed: 1 });
 * await trainWithValidation({ model, loss: losses.tripletMargin({ margin: 0.2 }), sampler,
 *   train: d.train, validation: d.validation, steps: 2000, evalEvery: 100, patience: 5, seed: 1 });
 */
export async function trainWithValidation(options: ValidatedTrainingOptions): Promise<ValidatedTraining> {
  const fn = 'trainWithValidation';
  const steps = checkNumber(fn, 'steps', options.steps, { min: 1, integer: true });
  const evalEvery = checkNumber(fn, 'evalEvery', options.evalEvery, { min: 1, integer: true });
  const patience =
    options.patience === undefined
      ? Infinity
      : checkNumber(fn, 'patience', options.patience, { min: 1, integer: true });
  const embedder = options.embedder ?? options.model;
  const optimizer = options.optimizer ?? { name: 'adam', learningRate: 1e-3 };
  const decay = decoupledWeightDecay(options.model, options.weightDecay, optimizer.learningRate);
  if (options.onCheck !== undefined && typeof options.onCheck !== 'function')
    fail(fn, 'onCheck', 'be a function (point, embedder) => void', typeof options.onCheck);
  const probe = [{ name: 'validation', queries: options.validation }];
  const measure =
    options.validationScore ??
    ((m: tf.LayersModel) => probeScores(modelEmbedding(m), probe, { distance: options.validationDistance }).validation);
  const score = (step: number): ValidationPoint => ({
    step,
    ...measure(embedder),
    ...(options.health ? { health: healthAt(embedder, options.validation) } : {}),
  });
  const validation: ValidationPoint[] = options.scoreUntrained === false ? [] : [score(0)];
  if (validation.length > 0) await options.onCheck?.(validation[0], embedder);
  let best: { point: ValidationPoint; weights: tf.Tensor[] } | null = null;
  let waited = 0;
  try {
    const history = await train({
      model: options.model,
      loss: options.loss,
      miner: options.miner,
      sampler: batchesFor(fn, options, evalEvery),
      data: { x: options.train.x, labels: options.train.y, transform: options.transform },
      epochs: Math.ceil(steps / evalEvery),
      optimizer,
      lossOptimizer: options.lossOptimizer,
      seed: options.seed,
      progress: options.progress ?? 'none',
      callbacks: {
        onBatchEnd: decay ?? undefined,
        onEpochEnd: async (record, control) => {
          const point = score(record.steps);
          validation.push(point);
          await options.onCheck?.(point, embedder);
          if (best === null || point.mapAtR > best.point.mapAtR) {
            tf.dispose(best?.weights ?? []);
            best = { point, weights: embedder.getWeights().map((w) => tf.keep(w.clone())) };
            waited = 0;
          } else if (++waited >= patience) {
            control.stop(`validation MAP@R did not improve for ${waited} checks (best at step ${best.point.step})`);
          }
        },
      },
    });
    const chosen = best as { point: ValidationPoint; weights: tf.Tensor[] } | null;
    if (chosen) embedder.setWeights(chosen.weights);
    const stepsRun = history.steps.length;
    return { history, validation, bestStep: chosen?.point.step ?? stepsRun, stepsRun };
  } finally {
    tf.dispose((best as { weights: tf.Tensor[] } | null)?.weights ?? []);
  }
}

/**
 * The per-step shrink of decoupled weight decay, or null when `weightDecay` is 0 or absent.
 * Kernels are told from biases by their name (Keras names them '.../kernel'); a model with no
 * kernel to decay is an error rather than a silent no-op.
 */
function decoupledWeightDecay(
  model: tf.LayersModel,
  weightDecay: number | undefined,
  learningRate: number,
): (() => void) | null {
  const fn = 'trainWithValidation';
  if (weightDecay === undefined) return null;
  const wd = checkNumber(fn, 'weightDecay', weightDecay, { min: 0 });
  if (wd === 0) return null;
  const factor = 1 - learningRate * wd;
  if (!(factor > 0))
    fail(fn, 'weightDecay', `keep learningRate * weightDecay below 1 (learning rate ${learningRate})`, wd);
  const kernels = model.trainableWeights.filter((w) => /kernel$/.test(w.originalName ?? w.name));
  if (kernels.length === 0) fail(fn, 'weightDecay', 'be 0 for a model without kernels (nothing to decay)', wd);
  const variables = kernels.map((w) => w.read() as tf.Variable);
  return () => {
    tf.tidy(() => {
      for (const v of variables) v.assign(tf.mul(v, factor));
    });
  };
}
