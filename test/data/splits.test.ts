import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { classDisjointSplit, queryGallerySplit, randomSplit, subsetDataset } from '../../lib/data/splits';
import { Random } from '../../lib/random';
import type { ImageDataset } from '../../lib/types';
import { describeAllBackends } from '../helpers/backends';

/** 10 classes of unequal size (class c has 20 + 3c samples), in a seeded random order. */
function makeLabels(): Int32Array {
  const values: number[] = [];
  for (let c = 0; c < 10; c++) for (let i = 0; i < 20 + 3 * c; i++) values.push(c);
  return Int32Array.from(new Random(5).shuffle(values));
}

function countsOf(labels: Int32Array, idx: Int32Array): Map<number, number> {
  const m = new Map<number, number>();
  for (const i of idx) m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
  return m;
}

function assertPartition(a: Int32Array, b: Int32Array, n: number): void {
  const all = [...a, ...b].sort((x, y) => x - y);
  assert.deepEqual(
    all,
    Array.from({ length: n }, (_, i) => i),
    'the two parts must cover every index once',
  );
}

describe('splits', function () {
  const labels = makeLabels();

  it('randomSplit: seeded, disjoint, covering, with the requested size', function () {
    const a = randomSplit(labels, { testFraction: 0.25, seed: 1 });
    const b = randomSplit(labels, { testFraction: 0.25, seed: 1 });
    const c = randomSplit(labels, { testFraction: 0.25, seed: 2 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.test, c.test);
    assertPartition(a.train, a.test, labels.length);
    assert.equal(a.test.length, Math.round(0.25 * labels.length));
  });

  it('randomSplit stratified: each class gives round(fraction × size) test samples', function () {
    const s = randomSplit(labels, { testFraction: 0.3, seed: 3, stratified: true });
    assertPartition(s.train, s.test, labels.length);
    const counts = countsOf(labels, s.test);
    for (let c = 0; c < 10; c++) assert.equal(counts.get(c), Math.round(0.3 * (20 + 3 * c)), `class ${c}`);
  });

  it('classDisjointSplit never puts a class on both sides', function () {
    for (const opts of [
      { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9] },
      { testClassCount: 5 },
      { testClassCount: 3, seed: 9 },
    ]) {
      const s = classDisjointSplit(labels, opts);
      const trainSet = new Set(Array.from(s.train, (i) => labels[i]));
      const testSet = new Set(Array.from(s.test, (i) => labels[i]));
      for (const c of testSet) assert.ok(!trainSet.has(c), `class ${c} leaked (${JSON.stringify(opts)})`);
      assertPartition(s.train, s.test, labels.length);
      assert.deepEqual([...testSet].sort(), [...s.testClasses].sort());
    }
    assert.deepEqual(classDisjointSplit(labels, { testClassCount: 5 }).testClasses, [5, 6, 7, 8, 9]);
  });

  it('classDisjointSplit refuses overlapping or unknown classes with a clear message', function () {
    assert.throws(
      () => classDisjointSplit(labels, { trainClasses: [0, 1, 2], testClasses: [2, 3] }),
      /^ArgumentError: Error in classDisjointSplit: testClasses must share no class with trainClasses, but got \[2\] in both$/,
    );
    assert.throws(
      () => classDisjointSplit(labels, { trainClasses: [0, 11], testClasses: [3] }),
      /Error in classDisjointSplit: trainClasses must name classes present in labels \(0, 1, 2, 3, 4, 5, 6, 7, 8, 9\), but got \[11\]/,
    );
    assert.throws(
      () => classDisjointSplit(labels, { testClassCount: 10 }),
      /testClassCount must be >= 1 and <= 9, but got 10/,
    );
  });

  it('queryGallerySplit: per-class query counts, disjoint, every query has a gallery match', function () {
    const s = queryGallerySplit(labels, { queriesPerClass: 4, seed: 1 });
    assertPartition(s.query, s.gallery, labels.length);
    const q = countsOf(labels, s.query);
    const g = countsOf(labels, s.gallery);
    for (let c = 0; c < 10; c++) {
      assert.equal(q.get(c), 4);
      assert.equal(g.get(c), 20 + 3 * c - 4);
    }
    const f = queryGallerySplit(labels, { queryFraction: 0.5, seed: 1 });
    assert.equal(countsOf(labels, f.query).get(9), Math.round(0.5 * 47));
    assert.deepEqual(queryGallerySplit(labels, { queriesPerClass: 4, seed: 1 }), s);
    assert.throws(
      () => queryGallerySplit([0, 0, 1], { queriesPerClass: 1, seed: 1 }),
      /Error in queryGallerySplit: labels must have at least 2 samples per class \(one query, one gallery\), but got 1 sample of class 1/,
    );
  });
});

describeAllBackends('subsetDataset', function () {
  it('gathers images and labels at the indices, without leaking', function () {
    const images = tf.tensor4d(
      Float32Array.from({ length: 5 * 4 }, (_, i) => i / 20),
      [5, 2, 2, 1],
    );
    const ds: ImageDataset = { images, labels: Int32Array.of(0, 1, 2, 3, 4), classNames: [], name: 't', source: '' };
    const before = tf.memory().numTensors;
    const sub = subsetDataset(ds, [4, 1]);
    assert.equal(tf.memory().numTensors, before + 1, 'only the returned images tensor is new');
    assert.deepEqual(Array.from(sub.labels), [4, 1]);
    assert.deepEqual(
      Array.from(sub.images.dataSync()),
      [16, 17, 18, 19, 4, 5, 6, 7].map((v) => Math.fround(v / 20)),
    );
    assert.throws(
      () => subsetDataset(ds, [5]),
      /Error in subsetDataset: indices must be integers in \[0, 5\), but got 5 at position 0/,
    );
    sub.images.dispose();
    images.dispose();
  });
});
