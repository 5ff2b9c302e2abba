/**
 * Training with model choice on validation classes (Musgrave et al. 2020): every `evalEvery`
 * steps the embedder is scored on the validation classes (disjoint from training and test
 * classes), the best checkpoint is kept, training stops after `patience` checks without
 * improvement, and the best weights are put back. Test classes are never looked at.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchTransform, History, OptimizerSpec, ProgressMode } from '../train/types';
import type { TrainSampler } from '../train/batch';
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
}

/** A validation check: the step it followed and the scores on the validation classes. */
export type ValidationPoint = RetrievalScores & { step: number; health?: CheckHealth };

export interface ValidatedTraining {
  history: History;
  /** Validation scores at step 0 (untrained) and after every check. */
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
  const probe = [{ name: 'validation', queries: options.validation }];
  const measure =
    options.validationScore ??
    ((m: tf.LayersModel) => probeScores(modelEmbedding(m), probe, { distance: options.validationDistance }).validation);
  const score = (step: number): ValidationPoint => ({
    step,
    ...measure(embedder),
    ...(options.health ? { health: healthAt(embedder, options.validation) } : {}),
  });
  const validation: ValidationPoint[] = [score(0)];
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
      optimizer: options.optimizer ?? { name: 'adam', learningRate: 1e-3 },
      seed: options.seed,
      progress: options.progress ?? 'none',
      callbacks: {
        onEpochEnd: (record, control) => {
          const point = score(record.steps);
          validation.push(point);
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
