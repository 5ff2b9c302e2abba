import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';
import { losses } from '../../lib/losses';
import { distances } from '../../lib/distances';
import type { MetricLoss } from '../../lib/types';
import { gradientError, lossValue, randomEmbeddings } from './helpers';

const labels = [0, 0, 1, 1, 2, 2];
const shape = { numClasses: 3, embeddingSize: 4, seed: 3 };

/** Every loss in a smooth-enough setting (moderate scales so float32 differences resolve). */
const CASES: [string, () => MetricLoss][] = [
  ['contrastive', () => losses.contrastive({ posMargin: 0.1, negMargin: 1.8 })],
  ['contrastive squared', () => losses.contrastive({ form: 'squared', negMargin: 1.8 })],
  ['tripletMargin (course default)', () => losses.tripletMargin({ margin: 0.5 })],
  ['tripletMargin swap', () => losses.tripletMargin({ margin: 1, swap: true, distance: distances.euclidean() })],
  ['tripletMargin soft', () => losses.tripletMargin({ smoothLoss: true })],
  ['marginLoss', () => losses.marginLoss({ beta: 1, margin: 0.5 })],
  ['nPairs', () => losses.nPairs()],
  ['liftedStructure', () => losses.liftedStructure()],
  ['multiSimilarity', () => losses.multiSimilarity({ beta: 5 })],
  ['ntXent', () => losses.ntXent({ temperature: 0.5 })],
  ['supCon', () => losses.supCon({ temperature: 0.5 })],
  ['proxyNCA', () => losses.proxyNCA(shape)],
  ['proxyAnchor', () => losses.proxyAnchor({ ...shape, alpha: 4 })],
  ['arcFace', () => losses.arcFace({ ...shape, scale: 4 })],
  ['cosFace', () => losses.cosFace({ ...shape, scale: 4 })],
  ['softmaxCrossEntropy', () => losses.softmaxCrossEntropy(shape)],
];

describeAllBackends('loss gradients vs central differences', () => {
  for (const [name, make] of CASES) {
    it(`${name}: analytic gradient matches, no leak`, () => {
      const loss = make();
      const e = randomEmbeddings(6, 4, 11);
      try {
        const err = gradientError(loss, e, labels);
        assert.ok(err < 2e-2, `${name}: gradient error ${err} (relative to the largest component)`);
        expectNoLeak(() =>
          tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels).loss)(e)),
        );
      } finally {
        e.dispose();
        loss.trainableWeights().forEach((w) => w.dispose());
      }
    });
  }

  it('circle: the gradient treats α_p, α_n as constants (as the paper does)', () => {
    const m = 0.4;
    const gamma = 4;
    const e = randomEmbeddings(6, 4, 11);
    // The same loss with α taken from the base point and frozen: its true gradient is circle's.
    const alphas = tf.tidy(() => {
      const s = distances.cosine().pairwise(e);
      return [tf.relu(tf.sub(1 + m, s)), tf.relu(tf.add(s, m))];
    });
    const mask = (same: boolean): tf.Tensor2D =>
      tf.tensor2d(labels.map((a, i) => labels.map((b, j) => (i !== j && (a === b) === same ? 1 : 0))));
    const [pos, neg] = [mask(true), mask(false)];
    const lse = (x: tf.Tensor, w: tf.Tensor): tf.Tensor => tf.log(tf.sum(tf.mul(tf.exp(x), w), 1));
    const frozen: MetricLoss = {
      name: 'frozenCircle',
      trainableWeights: () => [],
      compute: (x) => {
        const s = distances.cosine().pairwise(x);
        const lp = tf.mul(tf.mul(alphas[0], tf.sub(s, 1 - m)), -gamma);
        const ln = tf.mul(tf.mul(alphas[1], tf.sub(s, m)), gamma);
        const loss = tf.mean(tf.softplus(tf.add(lse(lp, pos), lse(ln, neg)))) as tf.Scalar;
        return {
          loss,
          stats: { terms: 6, activeTerms: 6, fractionActive: 1, meanPositiveDistance: 0, meanNegativeDistance: 0 },
        };
      },
    };
    const circle = losses.circle({ m, gamma });
    const got = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => circle.compute(x as tf.Tensor2D, labels).loss)(e)
        .dataSync(),
    );
    const want = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => frozen.compute(x as tf.Tensor2D, labels).loss)(e)
        .dataSync(),
    );
    assert.ok(Math.abs(lossValue(circle, e, labels) - lossValue(frozen, e, labels)) < 1e-4, 'values agree');
    expectClose(got, want, 1e-4, 1e-3, 'circle gradient');
    assert.ok(gradientError(frozen, e, labels) < 2e-2, 'the frozen reference passes the finite-difference check');
    tf.dispose([...alphas, pos, neg, e]);
  });

  it('a wrong gradient is caught by the check (the check can fail)', () => {
    const e = randomEmbeddings(6, 4, 11);
    const wrong: MetricLoss = {
      name: 'wrong',
      trainableWeights: () => [],
      // value sum(x²), but a custom gradient of 3x instead of 2x
      compute: (x) => ({
        loss: tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
          const t = args[0] as tf.Tensor;
          return { value: tf.sum(tf.square(t)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(t, 3)) };
        })(x) as tf.Scalar,
        stats: { terms: 1, activeTerms: 1, fractionActive: 1, meanPositiveDistance: NaN, meanNegativeDistance: NaN },
      }),
    };
    assert.ok(gradientError(wrong, e, labels) > 0.2);
    e.dispose();
  });
});
