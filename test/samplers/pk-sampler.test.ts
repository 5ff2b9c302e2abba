import { strict as assert } from 'assert';
import { PKSampler } from '../../lib/samplers';

/** Class c has `sizes[c]` samples, interleaved. */
function labelsWithSizes(sizes: number[]): Int32Array {
  const out: number[] = [];
  const left = [...sizes];
  while (left.some((v) => v > 0)) left.forEach((v, c) => v > 0 && (out.push(c), left[c]--));
  return Int32Array.from(out);
}

describe('PKSampler', function () {
  const labels = labelsWithSizes([30, 25, 40, 12, 33, 20, 27, 18, 35, 22]);

  it('every batch holds exactly K distinct samples of each of P distinct classes', function () {
    const s = new PKSampler({ labels, classesPerBatch: 4, samplesPerClass: 3, seed: 1 });
    assert.equal(s.batchesPerEpoch, Math.ceil(labels.length / 12));
    assert.deepEqual(s.warnings, []);
    for (const epoch of [0, 1, 5]) {
      const batches = s.epoch(epoch);
      assert.equal(batches.length, s.batchesPerEpoch);
      for (const b of batches) {
        assert.equal(b.length, 12);
        assert.equal(new Set(b).size, 12, 'no sample twice in a batch when every class has K or more');
        const perClass = new Map<number, number>();
        for (const i of b) perClass.set(labels[i], (perClass.get(labels[i]) ?? 0) + 1);
        assert.equal(perClass.size, 4, `P classes: ${[...perClass.keys()]}`);
        for (const [c, k] of perClass) assert.equal(k, 3, `class ${c}`);
        // The K samples of a class sit together: slot j holds the j-th class.
        for (let slot = 0; slot < 4; slot++)
          assert.equal(new Set(b.subarray(slot * 3, slot * 3 + 3).map((i) => labels[i])).size, 1);
      }
    }
  });

  it('an epoch covers the data: almost every sample is visited', function () {
    const s = new PKSampler({ labels, classesPerBatch: 4, samplesPerClass: 3, seed: 2 });
    const seen = new Set<number>();
    for (const b of s.epoch(0)) b.forEach((i) => seen.add(i));
    // ceil(N / PK) batches of PK draw about N samples; the class walks and weighting leave few unseen.
    assert.ok(seen.size >= 0.85 * labels.length, `${seen.size} of ${labels.length} visited`);
  });

  it('is deterministic per seed and epoch, and epochs differ', function () {
    const a = new PKSampler({ labels, classesPerBatch: 5, samplesPerClass: 2, seed: 3 });
    const b = new PKSampler({ labels, classesPerBatch: 5, samplesPerClass: 2, seed: 3 });
    assert.deepEqual(a.epoch(4), b.epoch(4));
    assert.deepEqual(a.epoch(4), a.epoch(4));
    assert.notDeepEqual(a.epoch(4), a.epoch(5));
    assert.notDeepEqual(
      a.epoch(0),
      new PKSampler({ labels, classesPerBatch: 5, samplesPerClass: 2, seed: 4 }).epoch(0),
    );
  });

  it('draws small classes with replacement and says so', function () {
    const small = labelsWithSizes([10, 2, 10, 1]);
    const s = new PKSampler({ labels: small, classesPerBatch: 4, samplesPerClass: 4, seed: 1, batchesPerEpoch: 3 });
    assert.deepEqual(s.smallClasses, [1, 3]);
    assert.deepEqual(s.warnings, [
      '2 class(es) have fewer than K=4 samples and are drawn with replacement: 1 (2), 3 (1)',
    ]);
    for (const b of s.epoch(0)) {
      const count = new Map<number, number>();
      for (const i of b) count.set(small[i], (count.get(small[i]) ?? 0) + 1);
      assert.deepEqual([...count.values()], [4, 4, 4, 4]);
    }
  });

  it('checks its arguments', function () {
    assert.throws(
      () => new PKSampler({ labels: [0, 0, 1, 1], classesPerBatch: 3, samplesPerClass: 2, seed: 1 }),
      /^ArgumentError: Error in PKSampler: classesPerBatch must be at most the number of classes in labels \(2\), but got 3$/,
    );
    assert.throws(
      () => new PKSampler({ labels, classesPerBatch: 2, samplesPerClass: 0, seed: 1 }),
      /Error in PKSampler: samplesPerClass must be >= 1, but got 0/,
    );
    assert.throws(
      () => new PKSampler({ labels, classesPerBatch: 2, samplesPerClass: 2, seed: 1 }).epoch(-1),
      /epochIndex must be >= 0/,
    );
  });
});
