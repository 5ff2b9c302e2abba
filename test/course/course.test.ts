import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import {
  baselineRetrieval,
  meanPairDistances,
  pairDistances,
  disposeProbe,
  metricBySeed,
  modelEmbedding,
  pixelEmbedding,
  probeScores,
  summarizeRows,
  trainValTestClassSplit,
  trainWithValidation,
  transformedProbe,
  type LabelledImages,
  type RetrievalRow,
} from '../../lib/course';
import { mlpEmbedder } from '../../lib/models';
import { losses } from '../../lib/losses';
import { ready } from '../../lib/backend';
import { SHIPPED_DATA_DIR } from '../../lib/data';
import { disposeCourseData, prepareCourseData } from '../../lib/course';
import { patterns } from './patterns';

describe('course helpers (lib/course)', () => {
  before(async () => {
    await ready();
  });

  describe('course: trainValTestClassSplit', () => {
    const labels = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6];
    it('puts each class in exactly one part and leaves unnamed classes out', () => {
      const s = trainValTestClassSplit(labels, {
        trainClasses: [2, 0, 1],
        validationClasses: [3, 4],
        testClasses: [5],
      });
      assert.deepEqual(Array.from(s.train), [0, 1, 2, 6, 7, 8]);
      assert.deepEqual(Array.from(s.validation), [3, 4, 9, 10]);
      assert.deepEqual(Array.from(s.test), [5, 11]);
      assert.deepEqual(s.trainClasses, [0, 1, 2]);
    });
    it('refuses shared classes, one validation class and absent classes, naming the argument', () => {
      assert.throws(
        () => trainValTestClassSplit(labels, { trainClasses: [0, 1], validationClasses: [1, 2], testClasses: [3] }),
        /trainValTestClassSplit: validationClasses must share no class with trainClasses/,
      );
      assert.throws(
        () => trainValTestClassSplit(labels, { trainClasses: [0], validationClasses: [1], testClasses: [3] }),
        /validationClasses must name at least 2 classes/,
      );
      assert.throws(
        () => trainValTestClassSplit(labels, { trainClasses: [0], validationClasses: [1, 2], testClasses: [9] }),
        /testClasses must name classes present in labels/,
      );
    });
  });

  describe('course: retrieval probes and baselines', () => {
    it('scores pixels exactly on separable patterns and a transformed probe keeps query/gallery apart', () => {
      const d = patterns([0, 1, 2], 10, 0.2, 1);
      const before = tf.memory().numTensors;
      const scores = probeScores(pixelEmbedding, [{ name: 'clean', queries: d }]);
      assert.deepEqual(scores.clean, { recallAt1: 1, mapAtR: 1 });
      const shifted = transformedProbe('shifted', d, {
        corruption: 'translate',
        severity: 5,
        seed: 3,
        queryFraction: 0.3,
      });
      assert.equal(shifted.queries.y.length + (shifted.gallery?.y.length ?? 0), 30);
      assert.equal(shifted.queries.y.length, 9);
      const s = probeScores(pixelEmbedding, [shifted]).shifted;
      assert.ok(s.mapAtR < 1, `an 8-pixel shift of 10x10 patterns must hurt pixel retrieval (MAP@R ${s.mapAtR})`);
      disposeProbe(shifted);
      assert.equal(tf.memory().numTensors, before);
      d.x.dispose();
    });

    it('baselineRetrieval gives pixel and untrained rows per seed and probe, pixels identical across seeds', () => {
      const d = patterns([0, 1, 2], 8, 0.5, 2);
      const rows = baselineRetrieval({
        probes: [{ name: 'test', queries: d }],
        seeds: [1, 2, 3],
        makeModel: (seed) => mlpEmbedder({ inputShape: [100], hidden: [16], embeddingDim: 4, seed }),
      });
      assert.equal(rows.length, 6);
      const pixels = metricBySeed(rows, 'pixels', 'test', 'mapAtR');
      assert.ok(pixels.every((v) => v === pixels[0]));
      const untrained = metricBySeed(rows, 'untrained', 'test', 'mapAtR');
      assert.notEqual(untrained[0], untrained[1], 'different seeds give different untrained networks');
      d.x.dispose();
    });

    it('summarizeRows words the paired difference by its interval', () => {
      const row = (method: string, seed: number, mapAtR: number): RetrievalRow => ({
        method,
        seed,
        probe: 'test',
        recallAt1: mapAtR,
        mapAtR,
      });
      const rows = [
        ...[1, 2, 3].map((s) => row('pixels', s, 0.5)),
        ...[1, 2, 3].map((s, i) => row('untrained', s, [0.4, 0.41, 0.39][i])),
        ...[1, 2, 3].map((s, i) => row('triplet', s, [0.6, 0.62, 0.61][i])),
        ...[1, 2, 3].map((s, i) => row('noisy', s, [0.7, 0.3, 0.52][i])),
      ];
      const table = summarizeRows(rows);
      const by = (m: string) => table.find((t) => t.method === m)!;
      assert.match(by('triplet')['MAP@R vs pixels'], /^\+0\.110 ± .* better$/);
      assert.match(by('untrained')['MAP@R vs pixels'], /worse$/);
      assert.equal(by('pixels')['MAP@R vs untrained'], '');
      assert.match(by('noisy')['MAP@R vs pixels'], /no detectable difference$/);
    });
  });

  describe('course: prepareCourseData', () => {
    it('cuts the shipped Fashion-MNIST into disjoint class groups with the asked sizes', async () => {
      const before = tf.memory().numTensors;
      const d = await prepareCourseData('fashion-mnist', {
        trainClasses: [0, 1, 2, 3, 4],
        validationClasses: [5, 6],
        testClasses: [7, 8, 9],
        dataDir: SHIPPED_DATA_DIR,
        trainImages: 300,
        evalImages: 200,
      });
      const classes = (y: Int32Array) => [...new Set(y)].sort((a, b) => a - b);
      assert.deepEqual(d.train.x.shape, [300, 28, 28, 1]);
      assert.deepEqual(classes(d.train.y), [0, 1, 2, 3, 4]);
      assert.deepEqual(classes(d.seen.y), [0, 1, 2, 3, 4]);
      assert.deepEqual(classes(d.validation.y), [5, 6]);
      assert.deepEqual(classes(d.test.y), [7, 8, 9]);
      assert.equal(d.test.y.length, 200);
      disposeCourseData(d);
      assert.equal(tf.memory().numTensors, before);
    });
  });

  describe('course: trainWithValidation', () => {
    let train: LabelledImages;
    let validation: LabelledImages;
    before(() => {
      train = patterns([0, 1, 2, 3], 12, 1.2, 5);
      validation = patterns([4, 5], 10, 1.2, 6);
    });
    after(() => tf.dispose([train.x, validation.x]));

    const base = (learningRate: number, patience?: number) => ({
      model: mlpEmbedder({ inputShape: [100], hidden: [16], embeddingDim: 4, seed: 1 }),
      loss: losses.tripletMargin({ margin: 0.2 }),
      train,
      validation,
      steps: 12,
      evalEvery: 3,
      patience,
      classesPerBatch: 4,
      samplesPerClass: 3,
      seed: 2,
      optimizer: { name: 'adam' as const, learningRate },
    });

    it('keeps the best checkpoint on validation classes and leaks no tensor', async () => {
      const options = base(0.05);
      const before = tf.memory().numTensors;
      const run = await trainWithValidation(options);
      assert.equal(tf.memory().numTensors, before);
      assert.deepEqual(
        run.validation.map((p) => p.step),
        [0, 3, 6, 9, 12],
      );
      const checks = run.validation.slice(1);
      const best = checks.reduce((a, p) => (p.mapAtR > a.mapAtR ? p : a));
      assert.equal(run.bestStep, best.step);
      const now = probeScores(
        (x) => options.model.predict(x.reshape([x.shape[0], 100])) as tf.Tensor2D,
        [{ name: 'v', queries: validation }],
      ).v;
      assert.ok(Math.abs(now.mapAtR - best.mapAtR) < 1e-6, `restored ${now.mapAtR} vs best ${best.mapAtR}`);
      options.model.dispose();
    });

    it('scoreUntrained: false skips the step-0 pass and changes nothing else (same checks, same kept checkpoint)', async () => {
      let passes = 0;
      const counted = (o: ReturnType<typeof base>) => ({
        ...o,
        validationScore: (m: tf.LayersModel) => {
          passes++;
          return probeScores(modelEmbedding(m), [{ name: 'v', queries: validation }]).v;
        },
      });
      const full = counted(base(0.05));
      const a = await trainWithValidation(full);
      assert.equal(passes, 5);
      passes = 0;
      const lean = { ...counted(base(0.05)), scoreUntrained: false };
      const before = tf.memory().numTensors;
      const b = await trainWithValidation(lean);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(passes, 4, 'one validation pass fewer');
      assert.deepEqual(
        b.validation.map((p) => p.step),
        [3, 6, 9, 12],
      );
      assert.deepEqual(b.validation, a.validation.slice(1));
      assert.equal(b.bestStep, a.bestStep);
      full.model.dispose();
      lean.model.dispose();
    });

    it('stops after `patience` checks without improvement (learning rate 1e-12: nothing improves)', async () => {
      const options = base(1e-12, 2);
      const run = await trainWithValidation(options);
      assert.equal(run.stepsRun, 9);
      assert.equal(run.bestStep, 3);
      assert.match(run.history.stopReason ?? '', /validation MAP@R did not improve for 2 checks/);
      options.model.dispose();
    });

    it('health: true records validation distances and effective rank at every check (collapse watch)', async () => {
      const options = { ...base(0.05), health: true };
      const before = tf.memory().numTensors;
      const run = await trainWithValidation(options);
      assert.equal(tf.memory().numTensors, before);
      for (const p of run.validation) {
        const h = p.health;
        assert.ok(h, `check at step ${p.step} has no health`);
        // Unit-norm embeddings: distances in [0, 2]; negatives farther than positives on these patterns after training.
        assert.ok(h.meanNegativeDistance > 0 && h.meanNegativeDistance <= 2, `d- ${h.meanNegativeDistance}`);
        assert.ok(h.effectiveRank >= 1 && h.effectiveRank <= 4, `rank ${h.effectiveRank}`);
      }
      const last = run.validation[run.validation.length - 1].health!;
      assert.ok(last.meanNegativeDistance > last.meanPositiveDistance, JSON.stringify(last));
      options.model.dispose();
    });
  });
});

describe('course: pairDistances', () => {
  before(async () => {
    await ready();
  });
  it('matches hand-computed distances of points at known positions', () => {
    const e = tf.tensor2d([
      [0, 0],
      [3, 4],
      [0, 1],
    ]);
    const p = pairDistances(e, [0, 0, 1]);
    assert.deepEqual(Array.from(p.d), [5, 1, Math.sqrt(18)].map(Math.fround));
    assert.deepEqual(Array.from(p.same), [1, 0, 0]);
    const sq = pairDistances(e, [0, 0, 1], { squared: true });
    assert.deepEqual(meanPairDistances(sq), { positive: 25, negative: (1 + 18) / 2 });
    e.dispose();
  });
});
