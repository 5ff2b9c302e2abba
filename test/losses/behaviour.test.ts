import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { distances } from '../../lib/distances';
import type { MetricLoss } from '../../lib/types';
import { ready } from '../../lib/backend';
import { lossValue, randomEmbeddings } from './helpers';

// Three points on a line, x = 0, 1, 1.2; labels 0, 0, 1 (values below derived by hand).
const line = (): tf.Tensor2D => tf.tensor2d([[0], [1], [1.2]]);
const raw = distances.euclidean({ normalize: false });
const rawSquared = distances.euclidean({ normalize: false, squared: true });

/** Losses whose every term needs a positive and a negative: such a batch gives exactly 0. */
const NEEDS_BOTH: [string, () => MetricLoss][] = [
  ['tripletMargin', () => losses.tripletMargin()],
  ['circle', () => losses.circle()],
  ['ntXent', () => losses.ntXent()],
];
/** Pair losses keep their one-sided terms (as pytorch-metric-learning): finite, never NaN. */
const ONE_SIDED: [string, () => MetricLoss][] = [
  ['contrastive', () => losses.contrastive()],
  ['marginLoss', () => losses.marginLoss()],
  ['liftedStructure', () => losses.liftedStructure()],
  ['multiSimilarity', () => losses.multiSimilarity()],
  ['supCon', () => losses.supCon()],
];

describeAllBackends('losses on hand-derived inputs', () => {
  it('tripletMargin: (0,1,2) costs 0.3, (1,0,2) costs 1.3', () => {
    const e = line();
    const labels = [0, 0, 1];
    assert.ok(Math.abs(lossValue(losses.tripletMargin({ margin: 0.5, distance: raw }), e, labels) - 0.8) < 1e-5);
    assert.ok(
      Math.abs(lossValue(losses.tripletMargin({ margin: 0.5, distance: raw, reduction: 'sum' }), e, labels) - 1.6) <
        1e-5,
    );
    // squared: 1 - 1.44 + 0.5 = 0.06 and 1 - 0.04 + 0.5 = 1.46
    assert.ok(
      Math.abs(lossValue(losses.tripletMargin({ margin: 0.5, distance: rawSquared }), e, labels) - 0.76) < 1e-5,
    );
    const loss = losses.tripletMargin({ margin: 0.5, distance: raw });
    const mined = { a: Int32Array.from([1]), p: Int32Array.from([0]), n: Int32Array.from([2]) };
    const r = tf.tidy(() => loss.compute(e, labels, mined).loss.dataSync()[0]);
    assert.ok(Math.abs(r - 1.3) < 1e-5, `only the mined triplet counts: ${r}`);
    const explicit = loss.computeTriplets(tf.tensor2d([[0]]), tf.tensor2d([[1]]), tf.tensor2d([[1.2]]));
    assert.ok(Math.abs(explicit.loss.dataSync()[0] - 0.3) < 1e-5);
    explicit.loss.dispose();
    e.dispose();
  });

  it('contrastive: positives reduced and negatives reduced, then summed; stats in plain numbers', () => {
    const e = line();
    const { loss, stats } = losses.contrastive({ distance: raw }).compute(e, [0, 0, 1]);
    // pos pairs d=1 → 1 each; neg pairs d=1.2 → 0, d=0.2 → 0.8: 1 + 0.8
    assert.ok(Math.abs(loss.dataSync()[0] - 1.8) < 1e-5);
    assert.deepEqual([stats.terms, stats.activeTerms], [6, 4]);
    assert.ok(Math.abs(stats.fractionActive - 4 / 6) < 1e-6);
    assert.ok(Math.abs(stats.meanPositiveDistance - 1) < 1e-5);
    assert.ok(Math.abs(stats.meanNegativeDistance - 0.7) < 1e-5);
    loss.dispose();
    e.dispose();
  });

  it('Hadsell contrastive: ½d² for positives, ½relu(m - d)² for negatives', () => {
    const e = line();
    const v = lossValue(losses.contrastive({ distance: raw, form: 'squared', reduction: 'sum' }), e, [0, 0, 1]);
    assert.ok(Math.abs(v - (2 * 0.5 + 2 * 0.5 * 0.64)) < 1e-5, `${v}`);
    e.dispose();
  });

  for (const [name, make] of [...NEEDS_BOTH, ...ONE_SIDED]) {
    const both = NEEDS_BOTH.some(([n]) => n === name);
    it(`${name}: no positive pair / no negative → ${both ? '0, 0 active' : 'finite'}, finite gradient, no leak`, () => {
      const loss = make();
      const e = randomEmbeddings(4, 3, 5);
      for (const labels of [
        [0, 1, 2, 3],
        [1, 1, 1, 1],
      ]) {
        const { value, stats, grad } = expectNoLeak(() => {
          const r = loss.compute(e, labels);
          const v = r.loss.dataSync()[0];
          r.loss.dispose();
          const g = tf.tidy(() =>
            tf
              .grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels).loss)(e)
              .dataSync(),
          );
          return { value: v, stats: r.stats, grad: Array.from(g) };
        });
        assert.ok(Number.isFinite(value), `${name} ${labels}: ${value}`);
        assert.ok(grad.every(Number.isFinite), `${name}: gradient finite`);
        if (both) {
          assert.equal(value, 0, `${name} ${labels}: ${value}`);
          assert.equal(stats.activeTerms, 0);
        }
      }
      loss.trainableWeights().forEach((w) => w.dispose());
      e.dispose();
    });
  }

  it('a loss given mined indices uses only those (pairs for a pair loss, triplets for a triplet loss)', () => {
    const e = randomEmbeddings(8, 4, 2);
    const labels = [0, 0, 1, 1, 2, 2, 3, 3];
    const all = lossValue(losses.contrastive(), e, labels);
    const mined = miners.pairMargin({ posMargin: 10, negMargin: -1 }).mine(e, labels); // mines nothing
    const none = tf.tidy(() => losses.contrastive().compute(e, labels, mined).loss.dataSync()[0]);
    assert.ok(all > 0);
    assert.equal(none, 0);
    e.dispose();
  });
});

describe('losses: bad input is refused with a message naming the argument', () => {
  let e3: tf.Tensor2D;
  before(async () => {
    await ready();
    e3 = tf.tensor2d([[0], [1], [1.2]]);
  });
  after(() => e3.dispose());
  const cases: [string, () => unknown, string][] = [
    [
      'embeddings not 2-D',
      () => losses.tripletMargin().compute(tf.zeros([2, 2, 2]) as unknown as tf.Tensor2D, [0, 1]),
      'Error in tripletMargin: embeddings must be a 2-D tensor [N, D], but got rank 3 (shape [2,2,2])',
    ],
    [
      'labels wrong length',
      () => losses.tripletMargin().compute(e3, [0, 1]),
      'Error in tripletMargin: labels must have one entry per embedding (3), but got 2',
    ],
    [
      'labels not integers',
      () => losses.contrastive().compute(e3, [0, 0.5, 1]),
      'Error in contrastive: labels must contain integers, but got 0.5 at index 1',
    ],
    [
      'NaN embeddings',
      () => losses.supCon().compute(tf.tensor2d([[0], [NaN]]), [0, 1]),
      'Error in supCon: embeddings must contain only finite values, but got NaN or Infinity',
    ],
    [
      'negative margin',
      () => losses.tripletMargin({ margin: -1 }),
      'Error in tripletMargin: margin must be >= 0, but got -1',
    ],
    [
      'mistyped reduction',
      () => losses.contrastive({ reduction: 'avg' as 'mean' }),
      `Error in contrastive: reduction must be one of 'mean', 'meanNonZero', 'sum', but got "avg"`,
    ],
    [
      'mined index outside the batch',
      () =>
        losses
          .tripletMargin()
          .compute(e3, [0, 0, 1], { a: Int32Array.from([0]), p: Int32Array.from([1]), n: Int32Array.from([3]) }),
      'Error in tripletMargin: mined.n must hold indices in [0, 3), but got 3 at position 0',
    ],
    [
      'label outside the proxies',
      () => losses.proxyNCA({ numClasses: 2, embeddingSize: 1 }).compute(e3, [0, 1, 2]),
      'Error in proxyNCA: labels must be class indices in [0, 2), but got 2 at index 2',
    ],
    [
      'arcFace margin out of range',
      () => losses.arcFace({ numClasses: 2, embeddingSize: 1, margin: 200 }),
      'Error in arcFace: margin must be >= 0 and <= 180, but got 200',
    ],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => assert.throws(run, (err: Error) => err.name === 'ArgumentError' && err.message === message));
  }
});

describe('batch-all triplets at 1024 x 128 (no [N, N, N] tensor)', () => {
  before(async () => {
    await ready();
  });
  it('forward and backward run, every valid triplet is a term', function () {
    this.timeout(60000);
    const e = randomEmbeddings(1024, 128, 9);
    const labels = Array.from({ length: 1024 }, (_, i) => i % 256); // a PK batch: 256 classes x 4
    const loss = losses.tripletMargin();
    const start = Date.now();
    let terms = 0;
    const { value, finite } = tf.tidy(() => {
      const { value: v, grad } = tf.valueAndGrad((x: tf.Tensor) => {
        const r = loss.compute(x as tf.Tensor2D, labels);
        terms = r.stats.terms;
        return r.loss;
      })(e);
      return { value: v.dataSync()[0], finite: grad.dataSync().every(Number.isFinite) };
    });
    assert.equal(terms, 1024 * 3 * 1020);
    assert.ok(Number.isFinite(value) && value > 0 && finite);
    console.log(`      (1024x128 batch-all forward+backward: ${Date.now() - start} ms)`);
    e.dispose();
  });
});

describe('distance stats follow direction', () => {
  before(async () => {
    await ready();
  });
  it('meanPositiveDistance < meanNegativeDistance on separated clusters (euclidean), > for cosine', () => {
    const e = tf.tensor2d([
      [1, 0.1],
      [1, -0.1],
      [-1, 0.1],
      [-1, -0.1],
    ]);
    const l2 = losses.contrastive().compute(e, [0, 0, 1, 1]);
    const cos = losses.multiSimilarity().compute(e, [0, 0, 1, 1]);
    assert.ok(l2.stats.meanPositiveDistance < l2.stats.meanNegativeDistance);
    assert.ok(cos.stats.meanPositiveDistance > cos.stats.meanNegativeDistance);
    expectClose(
      [cos.stats.meanNegativeDistance],
      [-Math.cos(2 * Math.atan(0.1)) * 0.5 - 0.5],
      1e-5,
      0,
      'mean negative cosine',
    );
    tf.dispose([e, l2.loss, cos.loss]);
  });
});
