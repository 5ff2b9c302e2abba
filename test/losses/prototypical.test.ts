import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectNoLeak } from '../helpers/backends';
import { losses } from '../../lib/losses';
import { gradientError, lossValue, randomEmbeddings } from './helpers';

/** A plain-loop prototypical loss on 1-D embeddings (support = first S of each class, squared distances). */
function reference(e: number[], labels: number[], s: number, scale = 1): number {
  const classes = [...new Set(labels)];
  const items = classes.map((c) => labels.flatMap((l, i) => (l === c ? [i] : [])));
  const protos = items.map((it) => it.slice(0, s).reduce((t, i) => t + e[i], 0) / s);
  const terms = items.flatMap((it, w) =>
    it.slice(s).map((q) => {
      const logits = protos.map((p) => -scale * (e[q] - p) ** 2);
      const lse = Math.log(logits.reduce((t, v) => t + Math.exp(v), 0));
      return lse - logits[w];
    }),
  );
  return terms.reduce((t, v) => t + v, 0) / terms.length;
}

describeAllBackends('losses.prototypical', () => {
  it('hand case: queries at distance 1 from their prototype and 2 from the other cost log(1 + e^-3)', () => {
    const e = tf.tensor2d([[0], [1], [3], [2]]);
    const v = expectNoLeak(() => lossValue(losses.prototypical({ supportPerClass: 1 }), e, [0, 0, 1, 1]));
    assert.ok(Math.abs(v - Math.log(1 + Math.exp(-3))) < 1e-6, `${v}`);
    const scaled = lossValue(losses.prototypical({ supportPerClass: 1, scale: 2 }), e, [0, 0, 1, 1]);
    assert.ok(Math.abs(scaled - Math.log(1 + Math.exp(-6))) < 1e-6, `${scaled}`);
    // Interleaved labels: support is the first item of each class in batch order.
    const mixed = tf.tensor2d([[3], [0], [2], [1]]);
    assert.ok(Math.abs(lossValue(losses.prototypical({ supportPerClass: 1 }), mixed, [1, 0, 1, 0]) - v) < 1e-6);
    tf.dispose([e, mixed]);
  });

  it('matches a plain-loop reference with 3 classes, S = 2 and unequal query counts', () => {
    const values = [0.3, -0.2, 0.5, 1.1, 0.9, 1.4, 1.0, -0.7, -1.2, -0.9, 0.1];
    const labels = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const e = tf.tensor2d(values.map((v) => [v]));
    for (const scale of [1, 3]) {
      const got = lossValue(losses.prototypical({ supportPerClass: 2, scale }), e, labels);
      const want = reference(values, labels, 2, scale);
      assert.ok(Math.abs(got - want) < 1e-5, `scale ${scale}: ${got} vs ${want}`);
    }
    e.dispose();
  });

  it('has the finite-difference gradient and leaks no tensor', () => {
    const e = randomEmbeddings(9, 4, 5);
    const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    const loss = losses.prototypical({ supportPerClass: 1, scale: 0.5 });
    assert.ok(gradientError(loss, e, labels) < 2e-2);
    expectNoLeak(() => tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels).loss)(e)));
    const result = loss.compute(e, labels);
    result.loss.dispose();
    const stats = result.stats;
    assert.equal(stats.terms, 6, 'one term per query: 3 classes x 2 queries');
    e.dispose();
  });

  it('rejects a class without a query, a one-class batch and bad options, naming them', () => {
    const e = randomEmbeddings(5, 2, 1);
    assert.throws(
      () => lossValue(losses.prototypical({ supportPerClass: 2 }), e, [0, 0, 0, 1, 1]),
      /Error in prototypical: labels must hold more than supportPerClass = 2 items of every class .*class 1 with 2/,
    );
    assert.throws(
      () => lossValue(losses.prototypical({ supportPerClass: 1 }), e, [3, 3, 3, 3, 3]),
      /at least 2 classes/,
    );
    assert.throws(() => losses.prototypical({ supportPerClass: 0 }), /prototypical: supportPerClass must/);
    assert.throws(() => losses.prototypical({ supportPerClass: 1, scale: 0 }), /prototypical: scale must/);
    assert.throws(
      () =>
        losses
          .prototypical({ supportPerClass: 1 })
          .compute(e, [0, 0, 1, 1, 1], { a: new Int32Array(0), p: new Int32Array(0), n: new Int32Array(0) }),
      /mined must be omitted/,
    );
    e.dispose();
  });
});
