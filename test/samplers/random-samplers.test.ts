import { strict as assert } from 'assert';
import { RandomPairSampler, RandomTripletSampler, ShuffledBatchSampler } from '../../lib/samplers';

describe('RandomTripletSampler', function () {
  // Class 3 has a single sample: it can be a negative but never an anchor.
  const labels = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 0, 1, 2, 0, 0]);

  it('gives valid triplets over batch-local indices, covering about N samples per epoch', function () {
    const s = new RandomTripletSampler({ labels, tripletsPerBatch: 4, seed: 1 });
    assert.equal(s.batchesPerEpoch, Math.ceil(labels.length / 12));
    for (const { indices, triplets } of s.epoch(0)) {
      assert.equal(new Set(indices).size, indices.length, 'indices are distinct');
      for (let t = 0; t < 4; t++) {
        const [a, p, n] = [indices[triplets.a[t]], indices[triplets.p[t]], indices[triplets.n[t]]];
        assert.notEqual(a, p);
        assert.equal(labels[a], labels[p]);
        assert.notEqual(labels[a], labels[n]);
        assert.notEqual(labels[a], 3);
      }
    }
    assert.deepEqual(s.epoch(2), new RandomTripletSampler({ labels, tripletsPerBatch: 4, seed: 1 }).epoch(2));
  });

  it('draws anchors, positives and negatives uniformly', function () {
    const s = new RandomTripletSampler({ labels, tripletsPerBatch: 500, seed: 2, batchesPerEpoch: 40 });
    const asNegative = new Array<number>(labels.length).fill(0);
    const anchorClass = new Array<number>(4).fill(0);
    let total = 0;
    for (const { indices, triplets } of s.epoch(0)) {
      triplets.n.forEach((j) => asNegative[indices[j]]++);
      triplets.a.forEach((j) => anchorClass[labels[indices[j]]]++);
      total += triplets.a.length;
    }
    // Anchor classes in proportion to their sizes among the 14 valid anchors: 6, 4, 4 of 14.
    assert.ok(Math.abs(anchorClass[0] / total - 6 / 14) < 0.02, `${anchorClass}`);
    assert.equal(anchorClass[3], 0);
    // The singleton of class 3 is a negative for every anchor: P = 1/(15 - |class of anchor|).
    const expected = ((6 / 14) * 1) / 9 + ((4 / 14) * 1) / 11 + ((4 / 14) * 1) / 11;
    assert.ok(Math.abs(asNegative[9] / total - expected) < 0.01, `${asNegative[9] / total} vs ${expected}`);
  });

  it('refuses data without positives or negatives', function () {
    assert.throws(
      () => new RandomTripletSampler({ labels: [0, 1, 2], tripletsPerBatch: 2, seed: 1 }),
      /Error in RandomTripletSampler: labels must have a class with at least 2 samples \(for positives\), but got none/,
    );
    assert.throws(
      () => new RandomTripletSampler({ labels: [4, 4], tripletsPerBatch: 2, seed: 1 }),
      /labels must contain at least 2 classes \(for negatives\), but got 1/,
    );
  });
});

describe('RandomPairSampler', function () {
  const labels = Int32Array.from({ length: 40 }, (_, i) => i % 5);
  it('has the requested share of positive pairs, all valid', function () {
    const s = new RandomPairSampler({ labels, pairsPerBatch: 10, positiveFraction: 0.3, seed: 1 });
    assert.equal(s.batchesPerEpoch, 2);
    for (const { indices, pairs } of s.epoch(0)) {
      assert.equal(pairs.a1.length, 3);
      assert.equal(pairs.a2.length, 7);
      pairs.a1.forEach((a, t) => {
        assert.equal(labels[indices[a]], labels[indices[pairs.p[t]]]);
        assert.notEqual(indices[a], indices[pairs.p[t]]);
      });
      pairs.a2.forEach((a, t) => assert.notEqual(labels[indices[a]], labels[indices[pairs.n[t]]]));
    }
    assert.throws(
      () => new RandomPairSampler({ labels, pairsPerBatch: 10, positiveFraction: 2, seed: 1 }),
      /Error in RandomPairSampler: positiveFraction must be >= 0 and <= 1, but got 2/,
    );
  });
});

describe('ShuffledBatchSampler', function () {
  it('visits every index once per epoch, in a seeded order', function () {
    const s = new ShuffledBatchSampler({ size: 10, batchSize: 4, seed: 1 });
    const e = s.epoch(0);
    assert.deepEqual(
      e.map((b) => b.length),
      [4, 4, 2],
    );
    assert.deepEqual(
      [...e.flatMap((b) => [...b])].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(s.epoch(0), e);
    assert.notDeepEqual(s.epoch(1), e);
    assert.equal(new ShuffledBatchSampler({ size: 10, batchSize: 4, seed: 1, dropLast: true }).epoch(0).length, 2);
    assert.throws(
      () => new ShuffledBatchSampler({ size: 3, batchSize: 4, seed: 1, dropLast: true }),
      /Error in ShuffledBatchSampler: batchSize must be at most size \(3\) with dropLast, but got 4/,
    );
  });
});
