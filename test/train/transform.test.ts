/**
 * train's per-batch augmentation hook (data.transform): called once per step with the global
 * step and epoch, shape-checked, leak-free, and deterministic when seeded from the step.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends } from '../helpers/backends';
import { augment } from '../../lib/data/corruptions/augment';
import { mlpEmbedder } from '../../lib/models';
import { Random } from '../../lib/random';
import { train, type BatchTransform, type BatchTransformInfo, type TrainOptions } from '../../lib/train';
import { clusters, shuffleSampler, tinyLoss } from './fixtures';

const DIM = 8;

/** Adds Gaussian noise seeded from the step, through a few intermediate tensors (leak bait). */
const noisy: BatchTransform = (x, { step }) => {
  const rng = new Random(100 + step);
  const noise = tf.tensor(
    Float32Array.from({ length: x.size }, () => rng.normal(0, 0.5)),
    x.shape,
  );
  return tf.mul(tf.add(x, noise), 1);
};

describeAllBackends('train data.transform', () => {
  let data: { x: tf.Tensor2D; labels: Int32Array };
  before(() => {
    data = clusters(4, 16, DIM, 11); // 64 points, 4 batches of 16 per epoch
  });
  after(() => data.x.dispose());

  function options(transform?: BatchTransform, overrides: Partial<TrainOptions> = {}): TrainOptions {
    return {
      model: mlpEmbedder({ inputShape: [DIM], hidden: [16], embeddingDim: 4, seed: 1 }),
      loss: tinyLoss(),
      sampler: shuffleSampler(64, 16, 2),
      data: { ...data, transform },
      epochs: 2,
      optimizer: { name: 'adam', learningRate: 0.01 },
      seed: 3,
      progress: 'none',
      ...overrides,
    };
  }

  it('is called once per step, in order, with the batch in data.x shape', async () => {
    const calls: (BatchTransformInfo & { shape: number[] })[] = [];
    const h = await train(options((x, info) => (calls.push({ ...info, shape: x.shape }), x)));
    assert.equal(h.steps.length, 8);
    assert.deepEqual(
      calls.map((c) => [c.step, c.epoch]),
      h.steps.map((s) => [s.step, s.epoch]),
    );
    assert.deepEqual(
      calls.map((c) => c.step),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.ok(calls.every((c) => c.shape.join() === '16,8'));
  });

  it('an identity transform changes nothing; a noisy one is used and deterministic', async () => {
    const losses = async (t?: BatchTransform) => (await train(options(t))).steps.map((s) => s.loss);
    const plain = await losses();
    assert.deepEqual(await losses((x) => x), plain);
    const a = await losses(noisy);
    const b = await losses(noisy);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, plain);
  });

  it('leaks nothing: intermediates of the transform are released, and on a shape error too', async () => {
    const before = tf.memory().numTensors;
    const opts = options(noisy);
    await train(opts);
    opts.model.dispose();
    assert.equal(tf.memory().numTensors, before, 'after a run with a transform');
    const bad = options((x) => tf.concat([x, x], 1));
    await assert.rejects(
      train(bad),
      /Error in train: data\.transform must return the batch's shape \[16,8\], but got \[16,16\] at step 0/,
    );
    bad.model.dispose();
    assert.equal(tf.memory().numTensors, before, 'after a rejected transform');
  });

  it('checks the transform and what it returns, naming data.transform', async () => {
    await assert.rejects(
      train(options(7 as unknown as BatchTransform)),
      /Error in train: data\.transform must be a function \(x, \{ step, epoch \}\) => tensor, but got number/,
    );
    await assert.rejects(
      train(options(() => [1] as unknown as tf.Tensor)),
      /Error in train: data\.transform must return a tensor, but got object at step 0/,
    );
    await assert.rejects(
      train(options((x) => tf.cast(x, 'int32'))),
      /Error in train: data\.transform must return dtype float32, but got int32 at step 0/,
    );
  });

  it("the documented use: lib/data's augment on images, seeded from the step, feeding a flat MLP", async () => {
    const rng = new Random(5);
    const images = tf.tensor4d(
      Float32Array.from({ length: 32 * 6 * 6 }, () => rng.uniform()),
      [32, 6, 6, 1],
    );
    const labels = Int32Array.from({ length: 32 }, (_, i) => i % 4);
    const seen: number[][] = [];
    const withTransform = async () => {
      const opts = options(undefined, {
        model: mlpEmbedder({ inputShape: [36], hidden: [8], embeddingDim: 4, seed: 1 }),
        sampler: shuffleSampler(32, 8, 2),
        data: {
          x: images,
          labels,
          transform: (x, { step }) => {
            seen.push(x.shape);
            return augment(x as tf.Tensor4D, { seed: 1000 + step, maxShift: 1 });
          },
        },
        epochs: 1,
      });
      return (await train(opts)).steps.map((s) => s.loss);
    };
    const a = await withTransform();
    const b = await withTransform();
    images.dispose();
    assert.deepEqual(a, b);
    assert.equal(seen.length, 8);
    assert.ok(
      seen.every((s) => s.join() === '8,6,6,1'),
      'images reach the transform as [B, H, W, 1]',
    );
  });
});
