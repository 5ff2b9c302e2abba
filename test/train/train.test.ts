import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends } from '../helpers/backends';
import { mlpEmbedder, classifierHead, classifierCrossEntropy } from '../../lib/models';
import { isNonFiniteLossError, NonFiniteLossError, train, type TrainOptions } from '../../lib/train';
import { isTripletIndices } from '../../lib/types';
import { allTripletsMiner, clusters, poisoned, proxyLoss, shuffleSampler, tinyLoss, tripletSampler } from './fixtures';

const DIM = 8;

describeAllBackends('train', () => {
  let data: { x: tf.Tensor2D; labels: Int32Array };
  before(() => {
    data = clusters(4, 16, DIM, 11); // 64 points, 4 batches of 16 per epoch
  });
  after(() => data.x.dispose());

  function options(overrides: Partial<TrainOptions> = {}): TrainOptions {
    return {
      model: mlpEmbedder({ inputShape: [DIM], hidden: [16], embeddingDim: 4, seed: 1 }),
      loss: tinyLoss(),
      sampler: shuffleSampler(64, 16, 2),
      data,
      epochs: 1,
      optimizer: { name: 'adam', learningRate: 0.01 },
      seed: 3,
      progress: 'none',
      ...overrides,
    };
  }

  it('the same seed gives the same history (two 1-epoch runs, identical losses and stats)', async () => {
    const a = await train(options());
    const b = await train(options());
    assert.equal(a.steps.length, 4);
    assert.deepEqual(
      a.steps.map((s) => [s.loss, s.fractionActive, s.meanPositiveDistance]),
      b.steps.map((s) => [s.loss, s.fractionActive, s.meanPositiveDistance]),
    );
    const c = await train(options({ sampler: shuffleSampler(64, 16, 99) }));
    assert.notDeepEqual(
      a.steps.map((s) => s.loss),
      c.steps.map((s) => s.loss),
    );
  });

  it('learns: the last epoch loss is well below the first; epoch records average their steps', async () => {
    const h = await train(options({ epochs: 6 }));
    assert.equal(h.epochs.length, 6);
    const first = h.steps.slice(0, 4).reduce((s, r) => s + r.loss, 0) / 4;
    assert.ok(Math.abs(h.epochs[0].loss - first) < 1e-6, 'epoch loss is the mean of its steps');
    assert.ok(h.epochs[5].loss < 0.7 * h.epochs[0].loss, `loss ${h.epochs[0].loss} -> ${h.epochs[5].loss}`);
    assert.equal(h.epochs[5].steps, 24);
  });

  it('leaks no tensors: the count after epoch 3 equals the count after epoch 1, and after the run the start', async () => {
    const counts: number[] = [];
    const opts = options({ epochs: 3, miner: allTripletsMiner() });
    const before = tf.memory().numTensors;
    await train({ ...opts, callbacks: { onEpochEnd: () => void counts.push(tf.memory().numTensors) } });
    assert.equal(counts.length, 3);
    assert.equal(counts[2], counts[0], `numTensors per epoch: ${counts.join(', ')}`);
    assert.equal(tf.memory().numTensors, before, 'the owned optimizer and all step tensors are released');
    opts.model.dispose();
  });

  it('the NaN guard names the step and the last finite loss, and keeps the last good weights', async () => {
    const opts = options({ loss: poisoned(tinyLoss(), 3), epochs: 2 });
    const seen: number[] = [];
    let weightsAfterStep2: Float32Array[] = [];
    const run = train({
      ...opts,
      callbacks: {
        onBatchEnd: (r) => {
          seen.push(r.loss);
          if (r.step === 2) weightsAfterStep2 = opts.model.getWeights().map((w) => w.dataSync() as Float32Array);
        },
      },
    });
    await assert.rejects(run, (e: unknown) => {
      assert.ok(isNonFiniteLossError(e));
      const err = e as NonFiniteLossError;
      assert.equal(err.step, 3);
      assert.equal(err.epoch, 0);
      assert.equal(err.lastFiniteLoss, seen[2]);
      assert.match(err.message, /the loss became NaN at step 3 \(epoch 0\); the last finite loss was /);
      return true;
    });
    const now = opts.model.getWeights().map((w) => w.dataSync() as Float32Array);
    now.forEach((w, i) => assert.deepEqual(w, weightsAfterStep2[i], 'NaN gradients were not applied'));
  });

  it('the NaN guard also fires on a NaN input row, at the first step whose batch holds it', async () => {
    const values = data.x.arraySync();
    values[5][0] = NaN;
    const x = tf.tensor2d(values);
    const sampler = shuffleSampler(64, 16, 2);
    const firstBad = sampler.epoch(0).findIndex((b) => b.includes(5));
    await assert.rejects(train(options({ data: { x, labels: data.labels }, sampler })), (e: unknown) => {
      assert.ok(e instanceof NonFiniteLossError);
      assert.equal(e.step, firstBad);
      assert.equal(Number.isNaN(e.lastFiniteLoss), firstBad === 0);
      return true;
    });
    x.dispose();
  });

  it('early stopping stops after `patience` checks without improvement and can restore the best weights', async () => {
    const scores = [0.5, 0.6, 0.55, 0.58, 0.9, 0.9];
    const opts = options({ epochs: 6 });
    let weightsAtBest: Float32Array[] = [];
    let calls = 0;
    const h = await train({
      ...opts,
      evaluate: { x: data.x, labels: data.labels, metrics: () => ({ score: scores[calls++] }) },
      earlyStopping: { monitor: 'score', patience: 2, restoreBest: true },
      callbacks: {
        onEpochEnd: (r) => {
          if (r.epoch === 1) weightsAtBest = opts.model.getWeights().map((w) => w.dataSync() as Float32Array);
        },
      },
    });
    assert.equal(h.epochs.length, 4, 'epochs 2 and 3 did not beat 0.6, so it stops after epoch 3');
    assert.equal(h.bestEpoch, 1);
    assert.match(
      h.stopReason ?? '',
      /early stopping at epoch 3: score did not improve on 0\.6 \(epoch 1\) for 2 checks/,
    );
    assert.deepEqual(
      h.epochs.map((e) => e.metrics?.score),
      scores.slice(0, 4),
    );
    opts.model.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), weightsAtBest[i]));
  });

  it("trains the loss's own weights (proxies) with the model", async () => {
    const loss = proxyLoss(4, 4, 5);
    const before = loss.proxies.dataSync().slice();
    await train(options({ loss }));
    const after = Array.from(loss.proxies.dataSync());
    const moved = after.reduce((s, v, i) => s + Math.abs(v - before[i]), 0);
    assert.ok(moved > 1e-3, `proxies moved by ${moved}`);
    loss.proxies.dispose();
  });

  it("lossOptimizer: the loss's weights take its rate, the model's keep the main one (one SGD step, exact ratio)", async () => {
    // One batch of 16, one step of plain SGD: the update is rate x gradient, and the gradient at
    // the first step does not depend on the rates, so 100x the rate must move the proxies exactly
    // 100x as far and leave the model's step unchanged.
    const fresh = () => {
      const model = mlpEmbedder({ inputShape: [DIM], hidden: [16], embeddingDim: 4, seed: 1 });
      const loss = proxyLoss(4, 4, 5);
      const w0 = model.getWeights().map((w) => w.dataSync().slice());
      const p0 = loss.proxies.dataSync().slice();
      return { model, loss, w0, p0 };
    };
    const run = async (lossOptimizer?: { name: 'sgd'; learningRate: number }) => {
      const r = fresh();
      const opts = options({
        model: r.model,
        loss: r.loss,
        sampler: shuffleSampler(16, 16, 2),
        optimizer: { name: 'sgd', learningRate: 0.01 },
        lossOptimizer,
      });
      const before = tf.memory().numTensors;
      await train(opts);
      assert.equal(tf.memory().numTensors, before, 'both owned optimizers and all step tensors are released');
      const dModel = r.model.getWeights().map((w, i) => Array.from(w.dataSync(), (v, j) => v - r.w0[i][j]));
      const dProxies = Array.from(r.loss.proxies.dataSync(), (v, j) => v - r.p0[j]);
      r.model.dispose();
      r.loss.proxies.dispose();
      return { dModel, dProxies };
    };
    const shared = await run();
    const fast = await run({ name: 'sgd', learningRate: 1 });
    const proxyMoved = shared.dProxies.reduce((s, v) => s + Math.abs(v), 0);
    assert.ok(proxyMoved > 1e-4, `the proxies move with the shared optimizer (${proxyMoved})`);
    fast.dProxies.forEach((v, j) =>
      assert.ok(
        Math.abs(v - 100 * shared.dProxies[j]) <= 1e-3 * Math.abs(100 * shared.dProxies[j]) + 1e-6,
        `proxy ${j}: ${v} vs 100 x ${shared.dProxies[j]}`,
      ),
    );
    fast.dModel.forEach((d, i) =>
      d.forEach((v, j) =>
        assert.ok(Math.abs(v - shared.dModel[i][j]) <= 1e-6, `model weight ${i}[${j}]: ${v} vs ${shared.dModel[i][j]}`),
      ),
    );
  });

  it('lossOptimizer is refused for a loss without weights, and a bad spec is named as lossOptimizer', async () => {
    const noWeights = options({ lossOptimizer: { name: 'sgd', learningRate: 1 } });
    await assert.rejects(
      train(noWeights),
      /Error in train: lossOptimizer must be given only with a loss that has its own weights \(proxies, class weights\), but got tiny/,
    );
    const loss = proxyLoss(4, 4, 5);
    const badRate = options({ loss, lossOptimizer: { name: 'sgd', learningRate: 0 } });
    const before = tf.memory().numTensors;
    await assert.rejects(train(badRate), /Error in train: lossOptimizer\.learningRate must be > 0, but got 0/);
    assert.equal(tf.memory().numTensors, before, 'the main optimizer is released when the loss optimizer is refused');
    [noWeights.model, badRate.model].forEach((m) => m.dispose());
    loss.proxies.dispose();
  });

  it('passes mined triplets to the loss and records miner stats', async () => {
    const loss = tinyLoss();
    const h = await train(options({ loss, miner: allTripletsMiner() }));
    // 16 rows, 4 per class in expectation: candidates come from the plain-loop miner, so check consistency.
    for (const s of h.steps) assert.equal(s.mined, s.terms);
    assert.ok(loss.seen.every((m) => isTripletIndices(m) && m.a.length > 0));
  });

  it('accepts tuple batches { indices, triplets }, hands the triplets to the loss, refuses a miner with them', async () => {
    const loss = tinyLoss();
    const sampler = tripletSampler(data.labels, 5, 3, 4);
    const h = await train(options({ loss, sampler }));
    assert.equal(h.steps.length, 3);
    assert.equal(loss.seen.length, 3);
    assert.deepEqual(loss.seen[0], sampler.epoch(0)[0].triplets);
    await assert.rejects(
      train(options({ sampler, miner: allTripletsMiner() })),
      /Error in train: miner must be omitted with a tuple sampler/,
    );
  });

  it('trains the softmax baseline through classifierHead and moves the shared embedder weights', async () => {
    const embedder = mlpEmbedder({ inputShape: [DIM], hidden: [16], embeddingDim: 4, seed: 1 });
    const before = embedder.getWeights()[0].dataSync().slice();
    const h = await train(options({ model: classifierHead(embedder, 4), loss: classifierCrossEntropy(), epochs: 3 }));
    assert.ok(h.epochs[2].loss < h.epochs[0].loss);
    assert.notDeepEqual(embedder.getWeights()[0].dataSync(), before);
  });

  it('checks its arguments, naming them', async () => {
    await assert.rejects(
      train(options({ data: { x: data.x, labels: data.labels.slice(1) } })),
      /Error in train: data\.labels must have one entry per embedding \(64\), but got 63/,
    );
    await assert.rejects(train(options({ epochs: 0 })), /Error in train: epochs must be >= 1, but got 0/);
    await assert.rejects(
      train(options({ earlyStopping: { monitor: 'recall', patience: 1 } })),
      /Error in train: earlyStopping\.monitor must be 'loss' or a metric computed by evaluate, but got recall/,
    );
    await assert.rejects(
      train(options({ optimizer: { name: 'adagrad' as 'adam', learningRate: 1 } })),
      /Error in train: optimizer\.name must be one of 'adam', 'sgd', 'momentum', 'rmsprop', but got "adagrad"/,
    );
  });
});
