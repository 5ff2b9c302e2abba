/**
 * One optimisation step: forward, mine (no gradients: the miner only returns indices), loss,
 * gradients for the model's and the loss's own variables; apply them only if the loss is finite.
 *
 * Two costs are paid once per step rather than once per miner and loss:
 * - the pairwise distance matrix: inside `sharePairwise` the miner's `pairwise` (read once, no
 *   gradient needed) and the loss's (on the gradient tape) are the same tensor when their
 *   distances share a base (e.g. batch-hard's plain and the triplet loss's squared euclidean);
 * - the finite-value check of the embeddings: with a library loss (a BaseMetricLoss), inside
 *   `withFiniteGuard` library losses and miners skip it, because NaN or Infinity in the
 *   embeddings makes that loss non-finite and the guard below throws NonFiniteLossError before
 *   any gradient is applied.
 */
import * as tf from '../tf';
import { NonFiniteLossError } from './errors';
import type { LossStats, MetricLoss, Miner, MinerStats, MinedIndices } from '../types';
import { sharePairwise } from '../distances';
import { BaseMetricLoss } from '../losses/base';
import { fail, withFiniteGuard } from '../validate';

export interface StepContext {
  model: tf.LayersModel;
  loss: MetricLoss;
  miner?: Miner;
  optimizer: tf.Optimizer;
  varList: tf.Variable[];
  /**
   * When set, the loss's own variables (named in `lossVariables`) are updated by this optimizer
   * and the model's by `optimizer`: proxies may need a much larger learning rate than the network.
   */
  lossOptimizer?: tf.Optimizer;
  lossVariables?: ReadonlySet<string>;
}

/** Splits gradients by variable name into the loss's own and the rest. */
function splitGradients(grads: tf.NamedTensorMap, names: ReadonlySet<string>): [tf.NamedTensorMap, tf.NamedTensorMap] {
  const own: tf.NamedTensorMap = {};
  const rest: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(grads)) (names.has(name) ? own : rest)[name] = g;
  return [own, rest];
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
  const { value, grads } = sharePairwise(() =>
    ctx.optimizer.computeGradients(() => {
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
      // Only a library loss is known to turn NaN embeddings into a NaN loss (see withFiniteGuard).
      const guarded = ctx.loss instanceof BaseMetricLoss ? withFiniteGuard : (_: tf.Tensor, f: () => tf.Scalar) => f();
      return guarded(embeddings, () => {
        let mined = tuples;
        if (ctx.miner) {
          const { stats: s, ...indices } = ctx.miner.mine(embeddings, labels);
          minerStats = s;
          mined = indices as MinedIndices;
        }
        const result = ctx.loss.compute(embeddings, labels, mined);
        stats = result.stats;
        return result.loss;
      });
    }, ctx.varList),
  );
  const loss = value.dataSync()[0];
  value.dispose();
  if (!Number.isFinite(loss)) {
    tf.dispose(grads);
    throw new NonFiniteLossError(at.step, at.epoch, loss, at.lastFiniteLoss);
  }
  if (ctx.lossOptimizer && ctx.lossVariables) {
    const [own, rest] = splitGradients(grads, ctx.lossVariables);
    ctx.optimizer.applyGradients(rest);
    ctx.lossOptimizer.applyGradients(own);
  } else {
    ctx.optimizer.applyGradients(grads);
  }
  tf.dispose(grads);
  return { loss, stats: stats as LossStats, miner: minerStats };
}
