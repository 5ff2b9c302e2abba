import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import {
  adversarialBatches,
  attackedScores,
  embeddingShiftObjective,
  fgsmAttack,
  modelForward,
  pgdAttack,
  queryGalleryProbe,
  retrievalObjective,
  type AttackObjective,
} from '../../lib/attacks';
import { disposeProbe, pixelEmbedding, trainWithValidation, type LabelledImages } from '../../lib/course';
import { mlpEmbedder } from '../../lib/models';
import { losses } from '../../lib/losses';
import { toRandom } from '../../lib/random';

/** `perClass` noisy copies of one random 6x6 pattern per class, pixels in [0, 1] (seeded). */
function patterns(classes: number, perClass: number, seed: number): LabelledImages {
  const rng = toRandom(seed);
  const protos = Array.from({ length: classes }, () => Float32Array.from({ length: 36 }, () => rng.uniform()));
  const data = new Float32Array(classes * perClass * 36);
  const y = new Int32Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < perClass; k++) {
      const row = c * perClass + k;
      y[row] = c;
      for (let p = 0; p < 36; p++)
        data[row * 36 + p] = Math.min(1, Math.max(0, protos[c][p] + 0.2 * (rng.uniform() - 0.5)));
    }
  }
  return { x: tf.tensor4d(data, [y.length, 6, 6, 1]), y };
}

/** A linear objective value(e) = e · w per row: its exact L∞ maximiser is x + ε·sign(w), clipped. */
function linearObjective(n: number, w: number[]): AttackObjective {
  const weights = tf.keep(tf.tensor2d(w, [w.length, 1]));
  return {
    size: n,
    value: (e) => tf.tidy(() => tf.matMul(e, weights).reshape([n]) as tf.Tensor1D),
    dispose: () => weights.dispose(),
  };
}

const maxAbs = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('attacks (lib/attacks)', () => {
  let data: LabelledImages;
  before(() => {
    data = patterns(3, 10, 7);
  });
  after(() => tf.dispose(data.x));

  it('FGSM on a linear objective is its exact maximiser x + ε·sign(w), clipped to [0, 1]', () => {
    const x = tf.tensor4d([0, 0.5, 0.97, 1, 0.02, 0.5], [1, 2, 3, 1]);
    const w = [1, -1, 1, 1, -1, 0];
    const objective = linearObjective(1, w);
    const adv = fgsmAttack(pixelEmbedding, x, objective, { epsilon: 0.05 });
    const expected = [0.05, 0.45, 1, 1, 0, 0.5];
    Array.from(adv.dataSync()).forEach((v, i) =>
      assert.ok(Math.abs(v - expected[i]) < 1e-6, `pixel ${i}: ${v} vs ${expected[i]}`),
    );
    tf.dispose([x, adv]);
    objective.dispose();
  });

  it('PGD stays inside the ε-ball and the pixel box, and raises the retrieval objective', () => {
    const probe = queryGalleryProbe('t', data, { queryFraction: 0.3, seed: 1 });
    const gallery = pixelEmbedding(probe.gallery!.x);
    const objective = retrievalObjective({ gallery, galleryLabels: probe.gallery!.y, queryLabels: probe.queries.y });
    for (const epsilon of [0.02, 0.1]) {
      const adv = pgdAttack(pixelEmbedding, probe.queries.x, objective, { epsilon, steps: 5, seed: 3 });
      assert.ok(
        maxAbs(adv, probe.queries.x) <= epsilon + 1e-6,
        `perturbation ${maxAbs(adv, probe.queries.x)} > ε ${epsilon}`,
      );
      const [lo, hi] = tf.tidy(() => [adv.min().dataSync()[0], adv.max().dataSync()[0]]);
      assert.ok(lo >= 0 && hi <= 1, `left the box: [${lo}, ${hi}]`);
      const [before, afterAttack] = tf.tidy(() => [
        objective.value(pixelEmbedding(probe.queries.x)).dataSync(),
        objective.value(pixelEmbedding(adv)).dataSync(),
      ]);
      for (let i = 0; i < before.length; i++)
        assert.ok(afterAttack[i] > before[i], `query ${i}: ${afterAttack[i]} <= ${before[i]}`);
      adv.dispose();
    }
    objective.dispose();
    tf.dispose(gallery);
    disposeProbe(probe);
  });

  it('PGD is at least as strong as FGSM and breaks a small network (Recall@1 under attack)', () => {
    const probe = queryGalleryProbe('t', data, { queryFraction: 0.3, seed: 1 });
    const model = mlpEmbedder({ inputShape: [6, 6, 1], hidden: [32], embeddingDim: 8, seed: 2 });
    const net = modelForward(model);
    const clean = attackedScores(net, probe, { method: 'pgd', epsilon: 0, seed: 1 });
    const fgsm = attackedScores(net, probe, { method: 'fgsm', epsilon: 0.3, seed: 1 });
    const pgd = attackedScores(net, probe, { method: 'pgd', epsilon: 0.3, steps: 10, seed: 1 });
    assert.ok(clean.recallAt1 > 0.9, `clean Recall@1 ${clean.recallAt1}`);
    assert.ok(pgd.recallAt1 <= fgsm.recallAt1 && pgd.mapAtR < clean.mapAtR, JSON.stringify({ clean, fgsm, pgd }));
    assert.ok(pgd.recallAt1 < 0.5, `PGD at ε 0.3 left Recall@1 ${pgd.recallAt1}`);
    model.dispose();
    disposeProbe(probe);
  });

  it('is seeded: the same seed repeats the attack, another seed starts elsewhere', () => {
    const objective = embeddingShiftObjective(pixelEmbedding(data.x));
    const a = pgdAttack(pixelEmbedding, data.x, objective, { epsilon: 0.1, steps: 2, seed: 5 });
    const b = pgdAttack(pixelEmbedding, data.x, objective, { epsilon: 0.1, steps: 2, seed: 5 });
    const c = pgdAttack(pixelEmbedding, data.x, objective, { epsilon: 0.1, steps: 2, seed: 6 });
    assert.equal(maxAbs(a, b), 0);
    assert.ok(maxAbs(a, c) > 0);
    tf.dispose([a, b, c]);
    objective.dispose();
  });

  it('leaks no tensor: attacks, objectives, scores and the adversarial batch transform', () => {
    const model = mlpEmbedder({ inputShape: [6, 6, 1], hidden: [16], embeddingDim: 4, seed: 1 });
    const probe = queryGalleryProbe('t', data, { queryFraction: 0.3, seed: 1 });
    const transform = adversarialBatches({ model, epsilon: 0.05, method: 'pgd', steps: 2, seed: 1 });
    const start = tf.memory().numTensors;
    attackedScores(modelForward(model), probe, { method: 'pgd', epsilon: 0.1, steps: 3, seed: 1 });
    attackedScores(pixelEmbedding, probe, { method: 'fgsm', epsilon: 0.1, seed: 1 });
    const out = transform(data.x, { step: 3, epoch: 0 });
    assert.deepEqual(out.shape, data.x.shape);
    assert.ok(maxAbs(out, data.x) <= 0.05 + 1e-6);
    out.dispose();
    const fgsmOut = adversarialBatches({ model, epsilon: 0.05, method: 'fgsm', seed: 1 })(data.x, {
      step: 0,
      epoch: 0,
    });
    fgsmOut.dispose();
    assert.equal(tf.memory().numTensors, start);
    model.dispose();
    disposeProbe(probe);
  });

  it('trains on adversarial batches with model choice on a custom validation score, without leaks', async () => {
    const model = mlpEmbedder({ inputShape: [6, 6, 1], hidden: [16], embeddingDim: 4, seed: 1 });
    const start = tf.memory().numTensors;
    let calls = 0;
    const run = await trainWithValidation({
      model,
      loss: losses.tripletMargin({ margin: 0.2 }),
      train: data,
      validation: data,
      steps: 4,
      evalEvery: 2,
      classesPerBatch: 3,
      samplesPerClass: 4,
      seed: 1,
      transform: adversarialBatches({ model, epsilon: 0.05, method: 'fgsm', seed: 1 }),
      validationScore: () => ({ recallAt1: 1, mapAtR: [0.5, 0.9, 0.7][calls++] }),
    });
    assert.equal(calls, 3);
    assert.equal(run.bestStep, 2);
    assert.equal(tf.memory().numTensors, start);
    model.dispose();
  });

  it('explains bad input: range, sizes, seed, epsilon, method, gallery', () => {
    const objective = embeddingShiftObjective(pixelEmbedding(data.x));
    const big = tf.mul(data.x, 2) as tf.Tensor4D;
    assert.throws(
      () => pgdAttack(pixelEmbedding, big, objective, { epsilon: 0.1, steps: 1, seed: 1 }),
      /Error in pgdAttack: x must lie in the valid range \[0, 1\]/,
    );
    assert.throws(
      () => pgdAttack(pixelEmbedding, data.x, objective, { epsilon: 0.1, steps: 1 }),
      /Error in pgdAttack: seed must be given when randomStart is true/,
    );
    assert.throws(
      () => fgsmAttack(pixelEmbedding, data.x, objective, { epsilon: -1 }),
      /Error in fgsmAttack: epsilon must be/,
    );
    assert.throws(
      () =>
        pgdAttack(pixelEmbedding, tf.slice(data.x, 0, 2) as tf.Tensor4D, objective, {
          epsilon: 0.1,
          steps: 1,
          seed: 1,
        }),
      /objective must have one entry per image of x \(2\), but got 30 entries/,
    );
    assert.throws(
      () =>
        adversarialBatches({
          model: mlpEmbedder({ inputShape: [6, 6, 1], seed: 1 }),
          epsilon: 0.1,
          method: 'pdg' as 'pgd',
          seed: 1,
        }),
      /Error in adversarialBatches: method must be one of/,
    );
    assert.throws(
      () => retrievalObjective({ gallery: tf.zeros([2, 3]), galleryLabels: [0, 1], queryLabels: [2] }),
      /queryLabels must name classes present in the gallery/,
    );
    const noGallery = { name: 'x', queries: data };
    assert.throws(
      () => attackedScores(pixelEmbedding, noGallery, { method: 'pgd', epsilon: 0.1, seed: 1 }),
      /Error in attackQueries: probe must have a gallery/,
    );
    tf.dispose(big);
    objective.dispose();
  });
});
