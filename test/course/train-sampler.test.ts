import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { trainWithValidation, type LabelledImages } from '../../lib/course';
import { mlpEmbedder } from '../../lib/models';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { train as trainLoop } from '../../lib/train/train';
import { RandomPairSampler, RandomTripletSampler, ShuffledBatchSampler } from '../../lib/samplers';
import { ready } from '../../lib/backend';
import { patterns } from './patterns';

describe('course: trainWithValidation with a sampler', () => {
  let train: LabelledImages;
  let validation: LabelledImages;
  before(async () => {
    await ready();
    train = patterns([0, 1, 2, 3], 12, 1.2, 5);
    validation = patterns([4, 5], 10, 1.2, 6);
  });
  after(() => tf.dispose([train.x, validation.x]));

  const model = () => mlpEmbedder({ inputShape: [100], hidden: [16], embeddingDim: 4, seed: 1 });
  const triplets = () =>
    new RandomTripletSampler({ labels: train.y, tripletsPerBatch: 8, seed: 3, batchesPerEpoch: 2 });
  const optimizer = { name: 'adam' as const, learningRate: 0.02 };

  it("trains on the sampler's batch stream in order, checks every evalEvery steps across its epochs, leaks nothing", async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const run = await trainWithValidation({
      model: m,
      loss: losses.tripletMargin({ margin: 0.2 }),
      sampler: triplets(),
      train,
      validation,
      steps: 12,
      evalEvery: 3,
      seed: 2,
      optimizer,
    });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(
      run.validation.map((p) => p.step),
      [0, 3, 6, 9, 12],
    );
    assert.equal(run.stepsRun, 12);
    // The same sampler read by the plain loop for 6 of its own 2-batch epochs: the same 12 steps, so the
    // same losses step by step (re-cutting must neither repeat an epoch nor skip a batch).
    const reference = model();
    const plain = await trainLoop({
      model: reference,
      loss: losses.tripletMargin({ margin: 0.2 }),
      sampler: triplets(),
      data: { x: train.x, labels: train.y },
      epochs: 6,
      optimizer,
      seed: 2,
      progress: 'none',
    });
    const ours = run.history.steps.map((s) => s.loss);
    const theirs = plain.steps.map((s) => s.loss);
    assert.equal(ours.length, 12);
    ours.forEach((l, i) => assert.ok(Math.abs(l - theirs[i]) < 1e-5, `step ${i}: ${l} vs ${theirs[i]}`));
    // Random triplets are not constant: a stream that repeated one batch would give a different sequence.
    assert.ok(new Set(ours.map((l) => l.toFixed(5))).size > 1);
    m.dispose();
    reference.dispose();
  });

  it('early-stops and restores the best checkpoint with random pairs (learning rate 1e-12: nothing improves)', async () => {
    const run = await trainWithValidation({
      model: model(),
      loss: losses.contrastive({ posMargin: 0, negMargin: 0.5 }),
      sampler: new RandomPairSampler({ labels: train.y, pairsPerBatch: 8, seed: 3 }),
      train,
      validation,
      steps: 30,
      evalEvery: 3,
      patience: 2,
      seed: 2,
      optimizer: { name: 'adam', learningRate: 1e-12 },
    });
    assert.equal(run.stepsRun, 9);
    assert.equal(run.bestStep, 3);
    assert.match(run.history.stopReason ?? '', /did not improve for 2 checks/);
  });

  it('takes plain shuffled batches (a miner picks tuples in them)', async () => {
    const run = await trainWithValidation({
      model: model(),
      loss: losses.tripletMargin({ margin: 0.2 }),
      miner: miners.batchHard(),
      sampler: new ShuffledBatchSampler({ size: train.y.length, batchSize: 16, seed: 3 }),
      train,
      validation,
      steps: 4,
      evalEvery: 4,
      seed: 2,
      optimizer,
    });
    assert.deepEqual(
      run.validation.map((p) => p.step),
      [0, 4],
    );
    assert.ok(run.history.steps.every((s) => s.mined !== undefined));
  });

  it('rejects a sampler given with PK sizes, a missing batch shape, a non-sampler, and a miner on tuple batches', async () => {
    const common = {
      model: model(),
      loss: losses.tripletMargin({ margin: 0.2 }),
      train,
      validation,
      steps: 3,
      evalEvery: 3,
      seed: 2,
    };
    await assert.rejects(
      trainWithValidation({ ...common, sampler: triplets(), classesPerBatch: 4, samplesPerClass: 3 }),
      /trainWithValidation.*sampler.*without classesPerBatch/s,
    );
    await assert.rejects(trainWithValidation({ ...common }), /trainWithValidation.*classesPerBatch.*samplesPerClass/s);
    await assert.rejects(
      trainWithValidation({ ...common, sampler: { name: 'x', batchesPerEpoch: 0, epoch: () => [] } }),
      /trainWithValidation.*sampler/s,
    );
    await assert.rejects(
      trainWithValidation({ ...common, sampler: triplets(), miner: miners.batchHard() }),
      /miner.*tuple sampler/s,
    );
  });
});
