/**
 * One optimisation step: forward, mine (no gradients: the miner only returns indices), loss,
 * gradients for the model's and the loss's own variables; apply them only if the loss is finite.
 */
import * as tf from '../tf';
import { NonFiniteLossError } from './errors';
import type { LossStats, MetricLoss, Miner, MinerStats, MinedIndices } from '../types';
import { fail } from '../validate';

export interface StepContext {
  model: tf.LayersModel;
  loss: MetricLoss;
  miner?: Miner;
  optimizer: tf.Optimizer;
  varList: tf.Variable[];
}

export interface StepOutcome {
  loss: number;
  stats: LossStats;
  miner?: MinerStats;
}

/** Where the step is, for the NaN guard's message. */
export interface StepPosition {
  step: number;
  epoch: number;
  lastFiniteLoss: number;
}

export function trainStep(
  ctx: StepContext,
  x: tf.Tensor,
  labels: Int32Array,
  tuples: MinedIndices | undefined,
  at: StepPosition,
): StepOutcome {
  let stats: LossStats | undefined;
  let minerStats: MinerStats | undefined;
  const { value, grads } = ctx.optimizer.computeGradients(() => {
    const out = ctx.model.apply(x, { training: true });
    if (Array.isArray(out) || out.rank !== 2) {
      fail(
        'train',
        'model',
        'have one output of shape [batch, dim]',
        Array.isArray(out) ? `${out.length} outputs` : out,
      );
    }
    const embeddings = out as tf.Tensor2D;
    let mined = tuples;
    if (ctx.miner) {
      const { stats: s, ...indices } = ctx.miner.mine(embeddings, labels);
      minerStats = s;
      mined = indices as MinedIndices;
    }
    const result = ctx.loss.compute(embeddings, labels, mined);
    stats = result.stats;
    return result.loss;
  }, ctx.varList);
  const loss = value.dataSync()[0];
  value.dispose();
  if (!Number.isFinite(loss)) {
    tf.dispose(grads);
    throw new NonFiniteLossError(at.step, at.epoch, loss, at.lastFiniteLoss);
  }
  ctx.optimizer.applyGradients(grads);
  tf.dispose(grads);
  return { loss, stats: stats as LossStats, miner: minerStats };
}
