/**
 * The training loop: batches from a sampler, miner on each batch's embeddings, loss (with its
 * own trainable weights) optimised together with the model; per-step and per-epoch history,
 * evaluation every N epochs, callbacks, early stopping, a NaN/Inf guard and progress display.
 */
import * as tf from '../tf';
import type { TupleBatch } from '../samplers/types';
import { summarizeEpoch } from './aggregate';
import { batchLabels, gatherBatch, resolveBatch } from './batch';
import { EarlyStopper } from './early-stopping';
import { runEvaluation } from './evaluate';
import { resolveOptimizer } from './optimizer';
import { createProgress } from './progress';
import { trainStep, type StepContext } from './step';
import type { EpochRecord, History, StepRecord, TrainControl, TrainOptions } from './types';
import { CrossBatchMemory } from '../losses/cross-batch-memory';
import { toRandom } from '../random';
import { checkNumber, fail, labelsToArray } from '../validate';

function validate(options: TrainOptions): void {
  const fn = 'train';
  if (!(options.model instanceof tf.LayersModel)) fail(fn, 'model', 'be a tf.LayersModel', typeof options.model);
  if (!options.loss || typeof options.loss.compute !== 'function') fail(fn, 'loss', 'be a MetricLoss', options.loss);
  if (!options.sampler || typeof options.sampler.epoch !== 'function')
    fail(fn, 'sampler', 'be a BatchSampler', options.sampler);
  checkNumber(fn, 'epochs', options.epochs, { min: 1, integer: true });
  const { x, labels } = options.data ?? {};
  if (!(x instanceof tf.Tensor)) fail(fn, 'data.x', 'be a tensor [N, ...]', typeof x);
  labelsToArray(fn, labels, x.shape[0], 'data.labels');
  const transform = options.data.transform;
  if (transform !== undefined && typeof transform !== 'function')
    fail(fn, 'data.transform', 'be a function (x, { step, epoch }) => tensor', typeof transform);
  const inputShape = options.model.inputs[0].shape.slice(1) as number[];
  const perRow = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const wanted = inputShape.reduce((a, b) => a * b, 1);
  if (perRow !== wanted) {
    fail(fn, 'data.x', `have rows of ${wanted} values to fit the model input [${inputShape.join(',')}]`, x);
  }
  if (options.loss instanceof CrossBatchMemory && options.miner) {
    fail(
      fn,
      'miner',
      'be given to crossBatchMemory({ miner }) with a memory loss, so it mines against the memory',
      options.miner.name,
    );
  }
  if (options.lossOptimizer !== undefined && options.loss.trainableWeights().length === 0) {
    fail(
      fn,
      'lossOptimizer',
      'be given only with a loss that has its own weights (proxies, class weights)',
      options.loss.name,
    );
  }
  const monitor = options.earlyStopping?.monitor;
  if (monitor !== undefined && monitor !== 'loss' && !options.evaluate) {
    fail(fn, 'earlyStopping.monitor', "be 'loss' or a metric computed by evaluate", monitor);
  }
  if (options.evaluate) {
    const ev = options.evaluate;
    checkNumber(fn, 'evaluate.every', ev.every ?? 1, { min: 1, integer: true });
    if (!(ev.x instanceof tf.Tensor)) fail(fn, 'evaluate.x', 'be a tensor [N, ...]', typeof ev.x);
    labelsToArray(fn, ev.labels, ev.x.shape[0], 'evaluate.labels');
    if (typeof ev.metrics !== 'function') fail(fn, 'evaluate.metrics', 'be a function', typeof ev.metrics);
  }
}

/** Copies of the variables, kept for early stopping's restoreBest. */
function snapshot(vars: tf.Variable[]): tf.Tensor[] {
  return vars.map((v) => v.clone());
}

/**
 * Trains `model` and resolves with its history.
 *
 * @example
 * const history = await train({
 *   model: mlpEmbedder({ inputShape: [28, 28, 1], embeddingDim: 64, seed: 1 }),
 *   loss: losses.tripletMargin({ margin: 0.2 }),
 *   miner: miners.semiHard(),
 *   sampler: new PKSampler({ labels: ds.labels, classesPerBatch: 8, samplesPerClass: 4, seed: 1 }),
 *   data: { x: ds.images, labels: ds.labels },
 *   epochs: 5,
 *   optimizer: { name: 'adam', learningRate: 1e-3 },
 *   seed: 1,
 *   evaluate: { every: 1, x: testImages, labels: Int32Array.from(testLabels), metrics: retrievalMetricsFn([1]) },
 *   earlyStopping: { monitor: 'recallAt1', patience: 2 },
 * });
 */
export async function train(options: TrainOptions): Promise<History> {
  validate(options);
  const { model, loss, miner, sampler, data, epochs, evaluate, callbacks = {} } = options;
  const seed = options.seed === undefined ? undefined : toRandom(options.seed).seed;
  const labels = Int32Array.from(data.labels);
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const stopper = options.earlyStopping ? new EarlyStopper(options.earlyStopping) : null;
  const progress = createProgress(options.progress ?? 'auto');
  const { optimizer, owned } = resolveOptimizer(options.optimizer);
  const lossWeights = loss.trainableWeights();
  const varList = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...lossWeights];
  const ctx: StepContext = { model, loss, miner, optimizer, varList };
  let lossOptimizerOwned = false;
  if (options.lossOptimizer !== undefined) {
    let resolved;
    try {
      resolved = resolveOptimizer(options.lossOptimizer, 'lossOptimizer');
    } catch (e) {
      if (owned) optimizer.dispose();
      throw e;
    }
    ctx.lossOptimizer = resolved.optimizer;
    ctx.lossVariables = new Set(lossWeights.map((v) => v.name));
    lossOptimizerOwned = resolved.owned;
  }

  const started = performance.now();
  const history: History = { steps: [], epochs: [], backend: tf.getBackend(), seconds: 0 };
  if (seed !== undefined) history.seed = seed;
  let stopReason: string | undefined;
  const control: TrainControl = {
    stop: (reason: string) => {
      stopReason ??= `stopped by callback: ${reason}`;
    },
    history,
  };
  let best: tf.Tensor[] | null = null;
  let lastFiniteLoss = NaN;
  let step = 0;

  try {
    if (evaluate?.atStart) history.initialMetrics = await runEvaluation(model, evaluate);
    progress.start({ epochs, stepsPerEpoch: sampler.batchesPerEpoch });
    for (let epoch = 0; epoch < epochs && stopReason === undefined; epoch++) {
      const epochStart = performance.now();
      const batches = (sampler.epoch(epoch) as (Int32Array | TupleBatch)[]).map((b, i) =>
        resolveBatch(b, labels.length, `epoch ${epoch}, batch ${i}`),
      );
      if (loss instanceof CrossBatchMemory && batches.some((b) => b.tuples)) {
        fail(
          'train',
          'sampler',
          'give index batches with crossBatchMemory (tuple batches bring their own pairs)',
          sampler.name,
        );
      }
      if (miner && batches.some((b) => b.tuples)) {
        fail('train', 'miner', 'be omitted with a tuple sampler (its batches bring their tuples)', miner.name);
      }
      const epochSteps: StepRecord[] = [];
      for (let i = 0; i < batches.length && stopReason === undefined; i++) {
        const { indices, tuples } = batches[i];
        const x = gatherBatch(data.x, indices, inputShape, data.transform, { step, epoch });
        let outcome;
        try {
          outcome = trainStep(ctx, x, batchLabels(labels, indices), tuples, { step, epoch, lastFiniteLoss });
        } finally {
          x.dispose();
        }
        lastFiniteLoss = outcome.loss;
        const record: StepRecord = { step, epoch, loss: outcome.loss, ...outcome.stats };
        if (outcome.miner) Object.assign(record, { mined: outcome.miner.mined, candidates: outcome.miner.candidates });
        history.steps.push(record);
        epochSteps.push(record);
        step++;
        progress.step({ epoch, stepInEpoch: i + 1, stepsDone: step, loss: outcome.loss });
        await callbacks.onBatchEnd?.(record, control);
      }

      const record: EpochRecord = summarizeEpoch(epoch, epochSteps, (performance.now() - epochStart) / 1000);
      const every = evaluate?.every ?? 1;
      const lastEpoch = epoch === epochs - 1 || stopReason !== undefined;
      if (evaluate && ((epoch + 1) % every === 0 || lastEpoch)) {
        record.metrics = await runEvaluation(model, evaluate);
      }
      history.epochs.push(record);

      if (stopper) {
        const value = stopper.monitor === 'loss' ? record.loss : record.metrics?.[stopper.monitor];
        if (record.metrics && stopper.monitor !== 'loss' && !(stopper.monitor in record.metrics)) {
          fail(
            'train',
            'earlyStopping.monitor',
            `name a metric (${Object.keys(record.metrics).join(', ')})`,
            stopper.monitor,
          );
        }
        if (value !== undefined) {
          const verdict = stopper.update(epoch, value);
          if (verdict === 'improved' && options.earlyStopping?.restoreBest) {
            tf.dispose(best ?? []);
            best = snapshot(varList);
          }
          if (verdict === 'stop') stopReason ??= stopper.describe(epoch);
        }
      }
      progress.epochEnd(record);
      await callbacks.onEpochEnd?.(record, control);
    }
    if (best) varList.forEach((v, i) => v.assign(best![i]));
  } finally {
    tf.dispose(best ?? []);
    if (owned) optimizer.dispose();
    if (lossOptimizerOwned) ctx.lossOptimizer?.dispose();
  }

  if (stopReason !== undefined) history.stopReason = stopReason;
  if (stopper && stopper.bestEpoch >= 0) history.bestEpoch = stopper.bestEpoch;
  history.seconds = (performance.now() - started) / 1000;
  progress.end(history);
  return history;
}
