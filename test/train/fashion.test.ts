/**
 * End to end on the shipped Fashion-MNIST (data/, the same images on every machine): 2 epochs of triplet loss with semi-hard mining on
 * classes 0-4 must beat the untrained model's Recall@1 on held-out test images; raw-pixel k-NN
 * Recall@1 is printed for comparison (not asserted: on 5 seen classes raw pixels are strong).
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { classDisjointSplit, loadDataset, subsetDataset } from '../../lib/data';
import { SHIPPED_DATA_DIR } from '../../lib/data/locate';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { mlpEmbedder } from '../../lib/models';
import { PKSampler } from '../../lib/samplers';
import { retrievalEvaluation, retrievalMetricsFn, train } from '../../lib/train';

const TRAIN_CLASSES = [0, 1, 2, 3, 4];
const UNSEEN_CLASSES = [5, 6, 7, 8, 9];

describe('train on Fashion-MNIST (triplet + semi-hard, 2 epochs)', function () {
  this.timeout(120000);

  it('improves held-out Recall@1 over the untrained model', async () => {
    await ready();
    const trainAll = await loadDataset('fashion-mnist', { split: 'train', flat: true, dataDir: SHIPPED_DATA_DIR });
    const testAll = await loadDataset('fashion-mnist', {
      split: 'test',
      limit: 2000,
      flat: true,
      dataDir: SHIPPED_DATA_DIR,
    });
    const trainSet = subsetDataset(
      trainAll,
      classDisjointSplit(trainAll.labels, { trainClasses: TRAIN_CLASSES, testClasses: UNSEEN_CLASSES }).train,
    );
    const split = classDisjointSplit(testAll.labels, { trainClasses: TRAIN_CLASSES, testClasses: UNSEEN_CLASSES });
    const seenTest = subsetDataset(testAll, split.train);
    const unseenTest = subsetDataset(testAll, split.test);
    tf.dispose([trainAll.images, testAll.images]);

    const model = mlpEmbedder({ inputShape: [784], hidden: [256], embeddingDim: 64, seed: 1 });
    const sampler = new PKSampler({ labels: trainSet.labels, classesPerBatch: 5, samplesPerClass: 8, seed: 1 });
    const started = Date.now();
    const history = await train({
      model,
      loss: losses.tripletMargin({ margin: 0.2 }),
      miner: miners.semiHard(),
      sampler,
      data: { x: trainSet.images, labels: trainSet.labels },
      epochs: 2,
      optimizer: { name: 'adam', learningRate: 2e-3 },
      seed: 1,
      evaluate: retrievalEvaluation(seenTest.images, seenTest.labels, { atStart: true, every: 2 }),
      progress: 'none',
    });
    const before = history.initialMetrics!.recallAt1;
    const after = history.epochs[1].metrics!.recallAt1;
    const mapBefore = history.initialMetrics!.mapAtR;
    const mapAfter = history.epochs[1].metrics!.mapAtR;
    const metrics = retrievalMetricsFn([1]);
    const raw = (await metrics(seenTest.images, seenTest.labels)).recallAt1;
    const rawUnseen = (await metrics(unseenTest.images, unseenTest.labels)).recallAt1;
    const { embed } = await import('../../lib/models/embed.js');
    const unseenEmb = embed(model, unseenTest.images);
    const unseen = (await metrics(unseenEmb, unseenTest.labels)).recallAt1;
    unseenEmb.dispose();
    console.log(
      `      ${history.steps.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s; held-out Recall@1 (seen classes, ` +
        `${seenTest.labels.length} images): untrained ${before.toFixed(3)} -> trained ${after.toFixed(3)} (MAP@R ${mapBefore.toFixed(3)} -> ${mapAfter.toFixed(3)}), raw pixels ${raw.toFixed(3)}; ` +
        `unseen classes (${unseenTest.labels.length}): trained ${unseen.toFixed(3)}, raw pixels ${rawUnseen.toFixed(3)}`,
    );
    // Seeded and deterministic per backend. Measured on wasm: Recall@1 0.818 -> 0.836 and MAP@R
    // 0.374 -> 0.673; after the wasm kernels changed their summation order (same gradients to
    // float precision, another trajectory), 0.818 -> 0.822 and 0.374 -> 0.668. A random MLP
    // already ranks the nearest neighbour well, so Recall@1's gain is within run-to-run noise; the
    // ranking of the whole class is what training fixes, and MAP@R's margin sits below that gain.
    assert.ok(after >= before, `Recall@1 ${before} -> ${after}`);
    assert.ok(mapAfter > mapBefore + 0.15, `MAP@R ${mapBefore} -> ${mapAfter}`);
    model.dispose();
    tf.dispose([trainSet.images, seenTest.images, unseenTest.images]);
  });
});
