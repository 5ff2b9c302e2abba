/**
 * train() with the no-mining baselines of lib/samplers: random triplets into the triplet margin
 * loss, random pairs into the contrastive loss. Each must actually learn (the loss over every
 * triplet / pair of the data falls) and leave no tensor behind.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends } from '../helpers/backends';
import { losses } from '../../lib/losses';
import { mlpEmbedder } from '../../lib/models';
import { RandomPairSampler, RandomTripletSampler, type TrainSampler } from '../../lib/samplers';
import { train } from '../../lib/train';
import type { MetricLoss } from '../../lib/types';
import { clusters } from './fixtures';

const DIM = 8;
const EPOCHS = 20;

describeAllBackends('train with random tuple samplers', () => {
  let data: { x: tf.Tensor2D; labels: Int32Array };
  before(() => {
    data = clusters(4, 16, DIM, 5); // 64 points in 4 overlapping Gaussian clusters
  });
  after(() => data.x.dispose());

  /**
   * The loss over every tuple of the whole dataset (no mined indices), without training. Measured
   * with a plain mean: meanNonZero hides progress, as separated pairs leave its denominator.
   */
  function fullLoss(model: tf.LayersModel, loss: MetricLoss): number {
    return tf.tidy(() => loss.compute(model.predict(data.x) as tf.Tensor2D, data.labels).loss.dataSync()[0]);
  }

  async function trains(loss: MetricLoss, measure: MetricLoss, sampler: TrainSampler): Promise<[number, number]> {
    const model = mlpEmbedder({ inputShape: [DIM], hidden: [16], embeddingDim: 4, seed: 1 });
    const lossBefore = fullLoss(model, measure);
    const before = tf.memory().numTensors;
    const history = await train({
      model,
      loss,
      sampler,
      data,
      epochs: EPOCHS,
      optimizer: { name: 'adam', learningRate: 0.01 },
      seed: 1,
      progress: 'none',
    });
    assert.equal(tf.memory().numTensors, before, 'train leaves no tensor behind');
    assert.equal(history.steps.length, EPOCHS * sampler.batchesPerEpoch);
    assert.ok(history.steps.every((s) => s.terms > 0 && Number.isFinite(s.loss)));
    const lossAfter = fullLoss(model, measure);
    model.dispose();
    return [lossBefore, lossAfter];
  }

  it('random triplets (no miner) with the triplet margin loss: the loss over all triplets falls', async () => {
    const sampler = new RandomTripletSampler({ labels: data.labels, tripletsPerBatch: 16, seed: 3 });
    const [before, after] = await trains(
      losses.tripletMargin({ margin: 0.2 }),
      losses.tripletMargin({ margin: 0.2 }),
      sampler,
    );
    assert.ok(after < 0.2 * before, `all-triplet loss ${before} -> ${after}`);
  });

  it('random pairs with the contrastive loss: the loss over all pairs falls', async () => {
    const sampler = new RandomPairSampler({ labels: data.labels, pairsPerBatch: 16, positiveFraction: 0.5, seed: 3 });
    const [before, after] = await trains(losses.contrastive(), losses.contrastive({ reduction: 'mean' }), sampler);
    assert.ok(after < 0.5 * before, `all-pair loss ${before} -> ${after}`);
  });
});
