import { strict as assert } from 'assert';
import * as tf from '../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from './helpers/backends';
import { distances, safeSqrt } from '../lib/distances';

const X = [
  [3, 4],
  [0, 1],
  [3, 4],
];

/** Plain-loop references. */
function reference(kind: 'l2' | 'l2sq' | 'dot', rows: number[][], normalize: boolean): number[] {
  const r = normalize ? rows.map((v) => v.map((x) => x / Math.hypot(...v))) : rows;
  const out: number[] = [];
  for (const a of r) {
    for (const b of r) {
      const sq = a.reduce((s, x, k) => s + (x - b[k]) ** 2, 0);
      const dot = a.reduce((s, x, k) => s + x * b[k], 0);
      out.push(kind === 'l2' ? Math.sqrt(sq) : kind === 'l2sq' ? sq : dot);
    }
  }
  return out;
}

describeAllBackends('distances', () => {
  it('pairwise matrices match plain loops', () => {
    const x = tf.tensor2d(X);
    const check = (d: ReturnType<typeof distances.euclidean>, want: number[], what: string): void =>
      expectClose(
        expectNoLeak(() => tf.tidy(() => d.pairwise(x).dataSync())),
        want,
        1e-3,
        1e-5,
        what,
      );
    check(distances.euclidean({ normalize: false }), reference('l2', X, false), 'euclidean');
    check(distances.euclidean({ squared: true }), reference('l2sq', X, true), 'squared normalized');
    check(distances.cosine(), reference('dot', X, true), 'cosine');
    check(distances.dot(), reference('dot', X, false), 'dot');
    x.dispose();
  });

  it('direction: margin, smallest and largest agree with isInverted', () => {
    const a = tf.scalar(1);
    const b = tf.scalar(3);
    const l2 = distances.euclidean();
    const cos = distances.cosine();
    assert.equal(l2.margin(a, b).dataSync()[0], -2);
    assert.equal(cos.margin(a, b).dataSync()[0], 2);
    assert.equal(l2.smallest(a, b).dataSync()[0], 1);
    assert.equal(cos.smallest(a, b).dataSync()[0], 3);
    assert.equal(cos.largest(a, b).dataSync()[0], 1);
    assert.equal(l2.marginOf(1, 3), -2);
    assert.equal(cos.marginOf(1, 3), 2);
  });

  it('gradients stay finite at d = 0 (diagonal, duplicates, a zero vector)', () => {
    const x = tf.tensor2d([...X, [0, 0]]);
    for (const d of [distances.euclidean(), distances.euclidean({ normalize: false }), distances.cosine()]) {
      const g = tf.tidy(() =>
        tf
          .grad((v: tf.Tensor) => tf.sum(d.pairwise(v as tf.Tensor2D)))(x)
          .dataSync(),
      );
      assert.ok(g.every(Number.isFinite), `${d.name}: ${Array.from(g)}`);
    }
    const s = tf.tidy(() =>
      tf
        .grad((v: tf.Tensor) => tf.sum(safeSqrt(v)))(tf.tensor1d([0, 4]))
        .dataSync(),
    );
    expectClose(s, [0, 0.25], 1e-6, 0, 'safeSqrt gradient');
    x.dispose();
  });

  it('paired distances equal the diagonal of pairwise', () => {
    const x = tf.tensor2d(X);
    const y = tf.tensor2d([...X].reverse());
    for (const d of [
      distances.euclidean(),
      distances.euclidean({ squared: true, normalize: false }),
      distances.cosine(),
    ]) {
      const got = tf.tidy(() => d.paired(x, y).dataSync());
      const want = tf.tidy(() => tf.sum(tf.mul(d.pairwise(x, y), tf.eye(3)), 1).dataSync());
      expectClose(got, want, 1e-3, 1e-5, d.name);
    }
    tf.dispose([x, y]);
  });

  it('byName refuses an unknown distance', () => {
    assert.throws(
      () => distances.byName('manhattan' as 'cosine'),
      /Error in distance: distance must be one of 'euclidean', 'cosine', 'dot', but got "manhattan"/,
    );
  });
});
