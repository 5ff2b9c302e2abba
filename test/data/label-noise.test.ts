import { strict as assert } from 'assert';
import { addLabelNoise, pairFlipLabelNoise, symmetricLabelNoise } from '../../lib/data/label-noise';

describe('label noise', function () {
  const n = 20000;
  const clean = Int32Array.from({ length: n }, (_, i) => i % 10);

  for (const rate of [0, 0.2, 0.5]) {
    it(`symmetric at ${rate}: flips about that fraction, always to another class, uniformly`, function () {
      const { labels, flipped, flippedFraction } = symmetricLabelNoise(clean, { rate, seed: 1 });
      // Binomial(20000, rate): 4 standard deviations is at most 0.0142.
      const tol = 4 * Math.sqrt((rate * (1 - rate)) / n) + 1e-12;
      assert.ok(Math.abs(flippedFraction - rate) <= tol, `flipped ${flippedFraction}`);
      const targets = new Array<number>(10).fill(0);
      for (let i = 0; i < n; i++) {
        assert.equal(flipped[i] === 1, labels[i] !== clean[i], `mask must match changes at ${i}`);
        if (flipped[i]) targets[(labels[i] - clean[i] + 10) % 10]++;
      }
      assert.equal(targets[0], 0, 'never flipped to its own class');
      const flips = targets.reduce((a, b) => a + b, 0);
      // Each of the 9 offsets gets ~1/9 of flips.
      for (let k = 1; k < 10 && flips > 0; k++) assert.ok(Math.abs(targets[k] / flips - 1 / 9) < 0.03, `offset ${k}`);
    });
  }

  it('pair-flip maps c to c+1 mod C and only that', function () {
    const { labels, flipped, flippedFraction } = pairFlipLabelNoise(clean, { rate: 0.3, seed: 2, numClasses: 10 });
    assert.ok(Math.abs(flippedFraction - 0.3) < 0.015);
    for (let i = 0; i < n; i++) assert.equal(labels[i], flipped[i] ? (clean[i] + 1) % 10 : clean[i]);
  });

  it('is deterministic by seed and leaves the input alone', function () {
    const a = addLabelNoise(clean, { type: 'symmetric', rate: 0.4, seed: 7 });
    const b = addLabelNoise(clean, { type: 'symmetric', rate: 0.4, seed: 7 });
    const c = addLabelNoise(clean, { type: 'symmetric', rate: 0.4, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.flipped, c.flipped);
    assert.equal(clean[11], 1);
  });

  it('checks its arguments', function () {
    assert.throws(
      () => symmetricLabelNoise(clean, { rate: 1.5, seed: 1 }),
      /^ArgumentError: Error in addLabelNoise: rate must be >= 0 and <= 1, but got 1.5$/,
    );
    assert.throws(
      () => pairFlipLabelNoise([0, 5], { rate: 0.1, seed: 1, numClasses: 4 }),
      /Error in addLabelNoise: labels must be below numClasses \(4\), but got 5/,
    );
    assert.throws(
      // @ts-expect-error: a typo must not silently pick a default
      () => addLabelNoise(clean, { type: 'pairflip', rate: 0.1, seed: 1 }),
      /type must be one of 'symmetric', 'pair-flip', but got "pairflip"/,
    );
  });
});
