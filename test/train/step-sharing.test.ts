/**
 * Issue 16: the training step computes the pairwise distance matrix once for the miner and the
 * loss (sharePairwise), and leaves the finite-value check of the embeddings to its NaN guard
 * (withFiniteGuard). Both must leave every number exactly as it was, leak nothing, and stay
 * inside the step.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';
import { distances, sharePairwise } from '../../lib/distances';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { mlpEmbedder } from '../../lib/models';
import { NonFiniteLossError } from '../../lib/train';
import { trainStep, type StepContext } from '../../lib/train/step';
import type { MetricLoss, Miner, MinedIndices } from '../../lib/types';
import { ArgumentError } from '../../lib/validate';
import { clusters } from './fixtures';

/** Kernel calls of `fn` by name (tf.profile; its list is read before the next profile reuses it). */
async function kernelCounts(fn: () => void): Promise<Record<string, number>> {
  const info = await tf.profile(fn);
  const counts: Record<string, number> = {};
  for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
  return counts;
}

/** The step before issue 16: no sharing, every finite check on (the reference for identity). */
function plainStep(ctx: StepContext, x: tf.Tensor, labels: Int32Array): number {
  const { value, grads } = ctx.optimizer.computeGradients(() => {
    const e = ctx.model.apply(x, { training: true }) as tf.Tensor2D;
    let mined: MinedIndices | undefined;
    if (ctx.miner) {
      const { stats: _s, ...indices } = ctx.miner.mine(e, labels);
      mined = indices as MinedIndices;
    }
    return ctx.loss.compute(e, labels, mined).loss;
  }, ctx.varList);
  const loss = value.dataSync()[0];
  value.dispose();
  ctx.optimizer.applyGradients(grads);
  tf.dispose(grads);
  return loss;
}

function context(loss: MetricLoss, miner?: Miner): StepContext {
  const model = mlpEmbedder({ inputShape: [8], hidden: [16], embeddingDim: 6, seed: 4 });
  return {
    model,
    loss,
    miner,
    optimizer: tf.train.adam(0.01),
    varList: model.trainableWeights.map((w) => w.read() as tf.Variable),
  };
}

function release(ctx: StepContext): void {
  ctx.optimizer.dispose();
  ctx.model.dispose();
}

const at = (step: number) => ({ step, epoch: 0, lastFiniteLoss: NaN });

describeAllBackends('sharePairwise', () => {
  let e: tf.Tensor2D;
  before(() => {
    e = tf.tensor2d([
      [3, 4, 0],
      [0, 1, 2],
      [3, 4.5, -1],
      [-2, 0.5, 1],
    ]);
  });
  after(() => e.dispose());

  const plain = distances.euclidean();
  const squared = distances.euclidean({ squared: true });

  it('plain and squared euclidean of one tensor use one matmul, with the values unshared ones have', async () => {
    const both = (): Float32Array[] =>
      tf.tidy(() => [plain.pairwise(e), squared.pairwise(e)].map((m) => m.dataSync() as Float32Array));
    const separate = both();
    const shared = expectNoLeak(() => sharePairwise(both));
    assert.deepEqual(shared, separate, 'bit-identical matrices');
    const alone = await kernelCounts(() => void both());
    const inScope = await kernelCounts(() => void sharePairwise(both));
    assert.equal(alone.BatchMatMul, 2, 'two matmuls without sharing');
    assert.equal(inScope.BatchMatMul, 1, 'one matmul when shared');
  });

  it('cosine and normalized dot share xyᵀ; a shared result can be disposed and asked for again', async () => {
    const dotN = distances.dot({ normalize: true });
    const separate = tf.tidy(() => distances.cosine().pairwise(e).dataSync());
    const inScope = await kernelCounts(() =>
      sharePairwise(() => {
        const first = distances.cosine().pairwise(e);
        first.dispose(); // what a miner does after its read: must not free the shared matrix
        const again = dotN.pairwise(e);
        assert.deepEqual(again.dataSync(), separate);
        again.dispose();
      }),
    );
    assert.equal(inScope.BatchMatMul, 1);
  });

  it('different operands, normalizations or variables are not shared', async () => {
    const v = tf.variable(e);
    const counts = await kernelCounts(() =>
      sharePairwise(() =>
        tf.tidy(() => {
          plain.pairwise(e);
          distances.euclidean({ normalize: false }).pairwise(e); // another base
          plain.pairwise(e, tf.add(e, 0) as tf.Tensor2D); // another operand
          plain.pairwise(v);
          plain.pairwise(v); // variables: never shared (an assign would change them in place)
        }),
      ),
    );
    assert.equal(counts.BatchMatMul, 5);
    v.dispose();
  });

  it('gradients through a shared matrix used twice match those without sharing (summed in another order)', () => {
    const f = (t: tf.Tensor): tf.Scalar => {
      const x = t as tf.Tensor2D;
      return tf.add(tf.sum(tf.mul(plain.pairwise(x), 0.7)), tf.sum(squared.pairwise(x))) as tf.Scalar;
    };
    const values = (g: tf.Tensor): Float32Array => {
      const v = g.dataSync() as Float32Array;
      g.dispose();
      return v;
    };
    const g0 = values(tf.grad(f)(e));
    const g1 = expectNoLeak(() => sharePairwise(() => values(tf.grad(f)(e))));
    // Both uses feed the loss here, so their gradients meet at the shared matrix before the matmul's
    // backward instead of at e: the same sum in another order. (In a step only the loss's use has
    // a gradient, and the step tests above check bit-identity.)
    expectClose(g1, g0, 1e-5, 1e-6, 'gradient');
  });
});

describeAllBackends('trainStep shares the distance matrix and leaves the finite check to its guard', () => {
  let data: { x: tf.Tensor2D; labels: Int32Array };
  before(() => {
    data = clusters(4, 8, 8, 5); // 32 points, 4 classes
  });
  after(() => data.x.dispose());

  const cases: [string, () => MetricLoss, () => Miner | undefined][] = [
    ['tripletMargin + batchHard (plain vs squared euclidean)', () => losses.tripletMargin(), () => miners.batchHard()],
    ['tripletMargin + semiHard', () => losses.tripletMargin(), () => miners.semiHard()],
    ['contrastive + pairMargin', () => losses.contrastive(), () => miners.pairMargin()],
    ['multiSimilarity + multiSimilarity (cosine)', () => losses.multiSimilarity(), () => miners.multiSimilarity()],
    ['circle, no miner', () => losses.circle(), () => undefined],
  ];
  for (const [title, loss, miner] of cases) {
    it(`${title}: losses and weights bit-identical to the unshared step, no leak`, () => {
      const before = context(loss(), miner());
      const after = context(loss(), miner());
      for (let s = 0; s < 3; s++) {
        const want = plainStep(before, data.x, data.labels);
        const n0 = tf.memory().numTensors;
        const got = trainStep(after, data.x, data.labels, undefined, at(s)).loss;
        if (s > 0) assert.equal(tf.memory().numTensors, n0, `step ${s} leaks`); // step 0 makes Adam's moments
        assert.equal(got, want, `loss at step ${s}`);
      }
      const wb = before.model.getWeights().map((w) => w.dataSync());
      const wa = after.model.getWeights().map((w) => w.dataSync());
      wa.forEach((w, k) => assert.deepEqual(w, wb[k], `weight ${k}`));
      release(before);
      release(after);
    });
  }

  it('mined triplets: the loss computes only the mined pairs (no pairwise matmul, forward or backward)', async () => {
    const loss = losses.tripletMargin();
    const mined = miners.batchHard().mine(data.x, data.labels);
    const counts = await kernelCounts(() =>
      tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, data.labels, mined).loss)(data.x)),
    );
    assert.equal(counts.BatchMatMul ?? 0, 0);
  });

  it('one step: one pairwise matmul fewer and no IsFinite read', async () => {
    // circle + multiSimilarity: miner and loss both need the cosine matrix of the batch (the fused
    // losses, contrastive among them, compute their own Gram matrix and are not shared).
    const a = context(losses.circle(), miners.multiSimilarity());
    const b = context(losses.circle(), miners.multiSimilarity());
    trainStep(a, data.x, data.labels, undefined, at(0));
    plainStep(b, data.x, data.labels);
    const step = await kernelCounts(() => void trainStep(a, data.x, data.labels, undefined, at(1)));
    const old = await kernelCounts(() => void plainStep(b, data.x, data.labels));
    assert.equal(old.IsFinite, 2, 'the old step checks the embeddings twice');
    assert.equal(step.IsFinite ?? 0, 0);
    assert.equal(step.BatchMatMul, old.BatchMatMul - 1);
    release(a);
    release(b);
  });

  const nanMiners: [string, () => Miner][] = [
    ['batchHard', () => miners.batchHard()],
    ['tripletMargin', () => miners.tripletMargin()],
    ['semiHard', () => miners.semiHard()],
    ['distanceWeighted', () => miners.distanceWeighted()],
    ['multiSimilarity', () => miners.multiSimilarity()],
    ['pairMargin', () => miners.pairMargin()],
    ['hardestNegativePairs', () => miners.hardestNegativePairs()],
    ['randomTriplets', () => miners.randomTriplets({ seed: 1 })],
  ];
  for (const [name, miner] of nanMiners) {
    it(`a NaN input row with the ${name} miner: NonFiniteLossError, weights untouched, no leak`, () => {
      const rows = data.x.arraySync();
      rows[3][1] = NaN;
      const x = tf.tensor2d(rows);
      const ctx = context(losses.contrastive(), miner());
      trainStep(ctx, data.x, data.labels, undefined, at(0));
      const weights = ctx.model.getWeights().map((w) => w.dataSync());
      const n0 = tf.memory().numTensors;
      assert.throws(
        () => trainStep(ctx, x, data.labels, undefined, at(1)),
        (err: unknown) => err instanceof NonFiniteLossError && err.step === 1,
      );
      assert.equal(tf.memory().numTensors, n0, 'tensors leaked by the failed step');
      ctx.model.getWeights().forEach((w, k) => assert.deepEqual(w.dataSync(), weights[k], `weight ${k} changed`));
      x.dispose();
      release(ctx);
    });
  }

  it('outside a step, losses and miners still reject non-finite embeddings by name', () => {
    const ctx = context(losses.tripletMargin(), miners.batchHard());
    trainStep(ctx, data.x, data.labels, undefined, at(0)); // the guard must not outlive the step
    const bad = tf.tensor2d([
      [1, NaN],
      [0, 1],
    ]);
    const y = [0, 1];
    assert.throws(
      () => losses.tripletMargin().compute(bad, y),
      (err: unknown) =>
        err instanceof ArgumentError && /tripletMargin: embeddings must contain only finite values/.test(err.message),
    );
    assert.throws(
      () => miners.batchHard().mine(bad, y),
      (err: unknown) =>
        err instanceof ArgumentError && /batchHard: embeddings must contain only finite values/.test(err.message),
    );
    bad.dispose();
    release(ctx);
  });

  it('a custom loss keeps the miner’s finite check (only library losses are known to turn NaN into a NaN loss)', () => {
    const rows = data.x.arraySync();
    rows[0][0] = NaN;
    const x = tf.tensor2d(rows);
    const zero: MetricLoss = {
      name: 'zero',
      trainableWeights: () => [],
      compute: (emb: tf.Tensor2D) => ({
        loss: tf.tidy(() => tf.sum(tf.slice(emb, [1, 0], [1, -1])) as tf.Scalar), // ignores row 0
        stats: { terms: 0, activeTerms: 0, fractionActive: 0, meanPositiveDistance: NaN, meanNegativeDistance: NaN },
      }),
    };
    const ctx = context(zero, miners.batchHard());
    assert.throws(
      () => trainStep(ctx, x, data.labels, undefined, at(0)),
      /batchHard: embeddings must contain only finite values/,
    );
    x.dispose();
    release(ctx);
  });
});
