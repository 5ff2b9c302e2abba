/**
 * The small CNN trained through train() on the wasm backend: the convolution and pooling
 * gradients run there (wasm lacks some of them; lib/backend registers them), the loss goes down
 * and no tensor is left behind.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready, useBackend } from '../../lib/backend';
import { loadDataset, subsetDataset } from '../../lib/data';
import { losses } from '../../lib/losses';
import { cnnEmbedder } from '../../lib/models';
import { PKSampler } from '../../lib/samplers';
import { train } from '../../lib/train';
import type { MetricLoss } from '../../lib/types';

const CLASSES = 4;
const PER_CLASS = 64;
const STEPS = 10;

describe('train cnnEmbedder [wasm]', function () {
  this.timeout(30000);
  let data: { x: tf.Tensor4D; labels: Int32Array };

  before(async () => {
    await ready();
    await useBackend('wasm');
    const all = await loadDataset('mnist', { split: 'train', limit: 1000 });
    const taken = new Array<number>(CLASSES).fill(0);
    const keep: number[] = [];
    all.labels.forEach((c, i) => {
      if (c < CLASSES && taken[c] < PER_CLASS) {
        taken[c]++;
        keep.push(i);
      }
    });
    assert.deepEqual(taken, new Array<number>(CLASSES).fill(PER_CLASS), 'enough images per class');
    const subset = subsetDataset(all, keep);
    all.images.dispose();
    data = { x: subset.images, labels: subset.labels };
  });
  after(() => data.x.dispose());

  /** The triplet loss over every triplet of a fixed 64-image batch (16 per class), without training. */
  function fixedBatchLoss(model: tf.LayersModel, loss: MetricLoss): number {
    return tf.tidy(() => {
      const idx = Int32Array.from({ length: 64 }, (_, i) => (i % CLASSES) * PER_CLASS + Math.floor(i / CLASSES));
      const emb = model.predict(tf.gather(data.x, tf.tensor1d(idx, 'int32'))) as tf.Tensor2D;
      return loss
        .compute(
          emb,
          Int32Array.from(idx, (i) => data.labels[i]),
        )
        .loss.dataSync()[0];
    });
  }

  it(`${STEPS} PK steps (4 x 8) lower the triplet loss and leak no tensors`, async () => {
    const model = cnnEmbedder({ embeddingDim: 32, filters: [16, 32], dense: 64, seed: 1 });
    const loss = losses.tripletMargin({ margin: 0.2 });
    const lossBefore = fixedBatchLoss(model, loss);
    const before = tf.memory().numTensors;
    const history = await train({
      model,
      loss,
      sampler: new PKSampler({
        labels: data.labels,
        classesPerBatch: 4,
        samplesPerClass: 8,
        seed: 2,
        batchesPerEpoch: STEPS,
      }),
      data,
      epochs: 1,
      optimizer: { name: 'adam', learningRate: 1e-3 },
      seed: 2,
      progress: 'none',
    });
    assert.equal(tf.memory().numTensors, before, 'train leaves no tensor behind');
    assert.equal(history.backend, 'wasm');
    assert.equal(history.steps.length, STEPS);
    const lossAfter = fixedBatchLoss(model, loss);
    const steps = history.steps.map((s) => s.loss);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    assert.ok(
      mean(steps.slice(-3)) < 0.7 * mean(steps.slice(0, 3)),
      `step losses ${steps.map((l) => l.toFixed(3)).join(' ')}`,
    );
    assert.ok(lossAfter < 0.7 * lossBefore, `loss on a fixed batch ${lossBefore} -> ${lossAfter}`);
    console.log(
      `      fixed-batch loss ${lossBefore.toFixed(4)} -> ${lossAfter.toFixed(4)}; steps ${steps.map((l) => l.toFixed(3)).join(' ')}`,
    );
    model.dispose();
  });
});
