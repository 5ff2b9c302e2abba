/**
 * The shipped training step against the step as it was before the distance matrix was shared
 * and the finite-value checks left to the step's NaN guard (issue 16), in one process: two
 * identical models (same seed, same batch, same optimizer), stepped alternately (which goes first
 * alternates too), CPU time of each step from `process.cpuUsage`. On a machine shared with other
 * work the ratio of paired medians is what to read, not the times. Also checks that both paths
 * give bit-identical losses and weights.
 * Usage: node --import tsx bench/train/ab-step.ts [mlp|cnn] [wasm|cpu] [--repeats N]
 *
 * @example
 * const r = await abStep('mlp', 'wasm', 40);
 * console.log(r.ratio); // median of before/after CPU time per pair of steps
 */
import * as tf from '../../lib/tf';
import { ready, useBackend } from '../../lib/backend';
import { tripletMargin } from '../../lib/losses/triplet-margin';
import { batchHard } from '../../lib/miners/batch-hard';
import { cnnEmbedder } from '../../lib/models/cnn';
import { mlpEmbedder } from '../../lib/models/mlp';
import { Random } from '../../lib/random';
import { trainStep, type StepContext } from '../../lib/train/step';
import type { MinedIndices } from '../../lib/types';
import { summarize } from '../common';
import { BATCH, type ModelKind } from './run';

/** The step as it was (lib/train/step.ts before issue 16): no shared matrix, every check on. */
function stepBefore(ctx: StepContext, x: tf.Tensor, labels: Int32Array): number {
  const { value, grads } = ctx.optimizer.computeGradients(() => {
    const embeddings = ctx.model.apply(x, { training: true }) as tf.Tensor2D;
    let mined: MinedIndices | undefined;
    if (ctx.miner) {
      const { stats: _s, ...indices } = ctx.miner.mine(embeddings, labels);
      mined = indices as MinedIndices;
    }
    return ctx.loss.compute(embeddings, labels, mined).loss;
  }, ctx.varList);
  const loss = value.dataSync()[0];
  value.dispose();
  ctx.optimizer.applyGradients(grads);
  tf.dispose(grads);
  return loss;
}

function context(kind: ModelKind): StepContext {
  const model =
    kind === 'mlp'
      ? mlpEmbedder({ inputShape: [784], hidden: [256], embeddingDim: 128, seed: 1 })
      : cnnEmbedder({ inputShape: [28, 28, 1], embeddingDim: 128, seed: 1 });
  return {
    model,
    loss: tripletMargin(),
    miner: batchHard(),
    optimizer: tf.train.adam(1e-3),
    varList: model.trainableWeights.map((w) => w.read() as tf.Variable),
  };
}

function cpuMs(f: () => number): { ms: number; loss: number } {
  const c0 = process.cpuUsage();
  const loss = f();
  const c = process.cpuUsage(c0);
  return { ms: (c.user + c.system) / 1000, loss };
}

/**
 * Runs `repeats` pairs of steps (after 3 warm-up pairs); returns per-path medians and the median
 * of the per-pair ratios before / after, and whether losses and weights stayed bit-identical.
 *
 * @example
 * const { ratio, identical } = await abStep('mlp', 'wasm', 40);
 */
export async function abStep(
  kind: ModelKind,
  backend: 'wasm' | 'cpu',
  repeats: number,
): Promise<{ beforeMs: number; afterMs: number; ratio: number; identical: boolean; leaked: number }> {
  await ready();
  await useBackend(backend);
  const rng = new Random(7);
  const xs = Float32Array.from({ length: BATCH * 784 }, () => rng.uniform());
  const y = Int32Array.from({ length: BATCH }, (_, i) => i % 16);
  const x = kind === 'mlp' ? tf.tensor2d(xs, [BATCH, 784]) : tf.tensor4d(xs, [BATCH, 28, 28, 1]);
  const before = context(kind);
  const after = context(kind);
  let step = 0;
  const runBefore = (): number => stepBefore(before, x, y);
  const runAfter = (): number =>
    trainStep(after, x, y, undefined, { step: step++, epoch: 0, lastFiniteLoss: NaN }).loss;
  let identical = true;
  const b: number[] = [];
  const a: number[] = [];
  const ratios: number[] = [];
  let tensors = 0;
  for (let i = -3; i < repeats; i++) {
    if (i === 0) tensors = tf.memory().numTensors;
    const first = i % 2 === 0;
    const r1 = first ? cpuMs(runBefore) : cpuMs(runAfter);
    const r2 = first ? cpuMs(runAfter) : cpuMs(runBefore);
    const [rb, ra] = first ? [r1, r2] : [r2, r1];
    if (rb.loss !== ra.loss) identical = false;
    if (i < 0) continue;
    b.push(rb.ms);
    a.push(ra.ms);
    ratios.push(rb.ms / ra.ms);
  }
  const leaked = tf.memory().numTensors - tensors;
  const wb = before.model.getWeights().map((w) => w.dataSync());
  const wa = after.model.getWeights().map((w) => w.dataSync());
  wb.forEach((w, k) => w.forEach((v, j) => v !== wa[k][j] && (identical = false)));
  for (const c of [before, after]) {
    c.optimizer.dispose();
    c.model.dispose();
  }
  x.dispose();
  return {
    beforeMs: summarize(b).median,
    afterMs: summarize(a).median,
    ratio: summarize(ratios).median,
    identical,
    leaked,
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const kind = (args.find((v) => v === 'mlp' || v === 'cnn') ?? 'mlp') as ModelKind;
  const backend = (args.find((v) => v === 'wasm' || v === 'cpu') ?? 'wasm') as 'wasm' | 'cpu';
  const r = args.indexOf('--repeats');
  abStep(kind, backend, r >= 0 ? Number(args[r + 1]) : 40)
    .then((res) =>
      console.log(
        `${kind} on ${backend}: CPU ms per step, medians: before ${res.beforeMs.toFixed(1)}, after ` +
          `${res.afterMs.toFixed(1)}; median paired ratio before/after ${res.ratio.toFixed(3)}; ` +
          `bit-identical losses and weights: ${res.identical}; tensors leaked: ${res.leaked}`,
      ),
    )
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
