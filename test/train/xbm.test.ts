/** train() with a cross-batch memory: deterministic, fills the memory, no leak, learns, clear misuse errors. */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { mlpEmbedder } from '../../lib/models';
import { train, type TrainOptions } from '../../lib/train';
import { clusters, shuffleSampler, tripletSampler } from './fixtures';

const DIM = 8;

describe('train with crossBatchMemory', () => {
  let data: { x: tf.Tensor2D; labels: Int32Array };
  before(async () => {
    await ready();
    data = clusters(4, 16, DIM, 11); // 64 points, 4 batches of 16 per epoch
  });
  after(() => data.x.dispose());

  function options(memorySize: number, overrides: Partial<TrainOptions> = {}): TrainOptions {
    return {
      model: mlpEmbedder({ inputShape: [DIM], hidden: [16], embeddingDim: 4, seed: 1 }),
      loss: losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: 4, memorySize }),
      sampler: shuffleSampler(64, 16, 2),
      data,
      epochs: 1,
      optimizer: { name: 'adam', learningRate: 0.01 },
      progress: 'none',
      ...overrides,
    };
  }

  it('is deterministic, fills the memory, learns, and leaks nothing per epoch', async () => {
    const before = tf.memory().numTensors;
    const runs = [options(48), options(48)];
    const counts: number[] = [];
    const a = await train({
      ...runs[0],
      epochs: 5,
      callbacks: { onEpochEnd: () => void counts.push(tf.memory().numTensors) },
    });
    const b = await train({ ...runs[1], epochs: 5 });
    assert.deepEqual(
      a.steps.map((s) => s.loss),
      b.steps.map((s) => s.loss),
    );
    const memory = runs[0].loss as ReturnType<typeof losses.crossBatchMemory>;
    assert.equal(memory.size, 48);
    // Step 0 pairs 16 anchors with their own 16 rows (minus self); step 3 with 48 slots (minus self).
    assert.deepEqual([a.steps[0].terms, a.steps[3].terms], [16 * 15, 16 * 47]);
    assert.ok(a.epochs[4].loss < 0.8 * a.epochs[0].loss, `loss ${a.epochs[0].loss} -> ${a.epochs[4].loss}`);
    assert.equal(counts[counts.length - 1], counts[1], `numTensors per epoch: ${counts.join(', ')}`);
    for (const o of runs) {
      o.model.dispose();
      (o.loss as ReturnType<typeof losses.crossBatchMemory>).dispose();
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses a train miner (it belongs in the memory) and tuple batches', async () => {
    const o = options(32);
    await assert.rejects(
      train({ ...o, miner: miners.batchHard() }),
      /Error in train: miner must be given to crossBatchMemory\(\{ miner \}\)/,
    );
    await assert.rejects(
      train({ ...o, sampler: tripletSampler(data.labels, 8, 2, 1) }),
      /Error in train: sampler must give index batches with crossBatchMemory/,
    );
    o.model.dispose();
    (o.loss as ReturnType<typeof losses.crossBatchMemory>).dispose();
  });
});
