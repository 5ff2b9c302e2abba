/**
 * The shapes `train` takes and returns. Records are flat plain-number objects so they go straight
 * into JSON files and plot specs (lib/viz's trainingCurves takes them as points).
 */
import type * as tf from '../tf';
import type { SeedLike } from '../random';
import type { TrainSampler } from '../samplers/types';
import type { LossStats, MetricLoss, Miner } from '../types';
import type { ProgressReporter } from './progress/reporter';

/** One optimisation step. */
export interface StepRecord extends LossStats {
  /** Global step, 0-based. */
  step: number;
  epoch: number;
  loss: number;
  /** Miner stats when a miner ran (tuples mined of how many candidates). */
  mined?: number;
  candidates?: number;
}

/** One epoch: means of its steps, evaluation metrics when evaluated, and wall time. */
export interface EpochRecord {
  epoch: number;
  /** Global step count at the end of the epoch. */
  steps: number;
  loss: number;
  fractionActive: number;
  /** Means over the steps where the value was defined (NaN when never). */
  meanPositiveDistance: number;
  meanNegativeDistance: number;
  mined?: number;
  /** Evaluation metrics, present on evaluated epochs only. */
  metrics?: Record<string, number>;
  seconds: number;
}

export interface History {
  steps: StepRecord[];
  epochs: EpochRecord[];
  /** Metrics of the untrained model, when `evaluate.atStart` asked for them. */
  initialMetrics?: Record<string, number>;
  /** Why training ended early ('early stopping: ...', 'stopped by callback: ...'); absent otherwise. */
  stopReason?: string;
  /** Early stopping: the epoch with the best monitored value. */
  bestEpoch?: number;
  seed?: number;
  backend: string;
  seconds: number;
}

/** Computes metrics from held-out embeddings (e.g. Recall@1 via lib/eval). */
export type MetricsFn = (
  embeddings: tf.Tensor2D,
  labels: Int32Array,
) => Record<string, number> | Promise<Record<string, number>>;

export interface EvaluateOptions {
  /** Evaluate after every `every` epochs (and after the last one). Default 1. */
  every?: number;
  x: tf.Tensor;
  labels: Int32Array;
  metrics: MetricsFn;
  /** Also evaluate the untrained model (History.initialMetrics). Default false. */
  atStart?: boolean;
  /** Rows per forward pass when embedding x. Default 256. */
  batchSize?: number;
}

export interface EarlyStoppingOptions {
  /** 'loss' (the epoch mean) or the name of an evaluation metric. */
  monitor: string;
  /** Default: 'min' for 'loss', 'max' for metrics (Recall, MAP). */
  mode?: 'min' | 'max';
  /** Checks without improvement before stopping. */
  patience: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping. Default false. */
  restoreBest?: boolean;
}

/** Handed to callbacks: call `stop` to end training after the current step. */
export interface TrainControl {
  stop(reason: string): void;
  readonly history: History;
}

export interface TrainCallbacks {
  onBatchEnd?: (record: StepRecord, control: TrainControl) => void | Promise<void>;
  onEpochEnd?: (record: EpochRecord, control: TrainControl) => void | Promise<void>;
}

export type OptimizerName = 'adam' | 'sgd' | 'momentum' | 'rmsprop';
export interface OptimizerSpec {
  name: OptimizerName;
  learningRate: number;
}

export type ProgressMode = 'auto' | 'bar' | 'notebook' | 'lines' | 'none';

/** Where training is when a batch is transformed: global step (0-based) and epoch. */
export interface BatchTransformInfo {
  step: number;
  epoch: number;
}

/**
 * A per-batch augmentation: takes the gathered rows of `data.x` (shape [B, ...data.x.shape[1..]])
 * and returns a tensor of the same shape and dtype. Called once per step, inside a tf.tidy, so
 * its intermediate tensors are released; it must be deterministic given `info` for seeded runs.
 */
export type BatchTransform = (x: tf.Tensor, info: BatchTransformInfo) => tf.Tensor;

export interface TrainData {
  /** Images [N, H, W, C] or flat rows [N, D]; reshaped per batch to the model's input shape. */
  x: tf.Tensor;
  labels: Int32Array;
  /**
   * Optional augmentation applied to each training batch before the forward pass (never to
   * `evaluate.x`). It sees the batch in `data.x`'s own shape (images stay [B, H, W, C] even for
   * an MLP on flat input) and must return that shape; the loop reshapes for the model afterwards.
   * Seed any randomness from `info.step` so the same run gives the same numbers.
   *
   * @example
   * import { augment } from 'metriclab'; // lib/data/corruptions/augment.ts
   * const runSeed = 1;
   * await train({
   *   ...opts,
   *   data: {
   *     x: ds.images, // [N, 28, 28, 1]
   *     labels: ds.labels,
   *     transform: (x, { step }) => augment(x as tf.Tensor4D, { seed: 1000 * runSeed + step, maxShift: 2 }),
   *   },
   * });
   */
  transform?: BatchTransform;
}

export interface TrainOptions {
  model: tf.LayersModel;
  /** A loss of lib/losses, or `losses.crossBatchMemory({ loss, ... })` (then give it the miner). */
  loss: MetricLoss;
  /** Runs on each batch's embeddings; not allowed with tuple batches (they bring their tuples). */
  miner?: Miner;
  /** Index batches (PK, shuffled) or tuple batches (random triplets / pairs). */
  sampler: TrainSampler;
  data: TrainData;
  epochs: number;
  /** An optimizer (not disposed by train) or a spec (created and disposed by train). Default adam 1e-3. */
  optimizer?: tf.Optimizer | OptimizerSpec;
  /**
   * A separate optimizer for the loss's own weights (proxies, class weights); only for a loss
   * that has some. Default: `optimizer` trains them with the model. Proxy-Anchor (Kim et al.
   * 2020) and pytorch-metric-learning's examples give the proxies a ~100x larger learning rate.
   *
   * @example
   * await train({ ...opts, loss: losses.proxyAnchor({ numClasses: 10, embeddingSize: 64 }),
   *   optimizer: { name: 'adam', learningRate: 1e-3 }, lossOptimizer: { name: 'adam', learningRate: 0.1 } });
   */
  lossOptimizer?: tf.Optimizer | OptimizerSpec;
  /**
   * Recorded in the history. The loop itself draws nothing at random: batches come from the
   * sampler's seed, mined tuples from the miner's, initial weights from the model's.
   */
  seed?: SeedLike;
  evaluate?: EvaluateOptions;
  callbacks?: TrainCallbacks;
  earlyStopping?: EarlyStoppingOptions;
  /**
   * Default 'auto': notebook display in tslab, a bar on a TTY, one line per epoch otherwise;
   * 'none' prints nothing; or a reporter of your own.
   */
  progress?: ProgressMode | ProgressReporter;
}
