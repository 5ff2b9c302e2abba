import * as assert from 'assert';
import { embeddingHealth } from '../../lib/eval/health';
import { Random } from '../../lib/random';
import { expectClose } from '../helpers/backends';

describe('embeddingHealth', () => {
  it('hand case: two classes on the unit circle', () => {
    // class 0 at angle 0 (twice), class 1 at angle 90 (twice): pos distance 0, neg sqrt(2).
    const h = embeddingHealth(
      [
        [1, 0],
        [1, 0],
        [0, 1],
        [0, 1],
      ],
      [0, 0, 1, 1],
      { seed: 1, margin: 0.5 },
    );
    expectClose([h.norm.mean, h.norm.std, h.meanPositiveDistance, h.meanNegativeDistance], [1, 0, 0, Math.SQRT2]);
    expectClose([h.alignment], [0]);
    // uniformity: 2 positive pairs exp(0)=1, 4 negative pairs exp(-4) -> log((2 + 4e^-4)/6)
    expectClose([h.uniformity], [Math.log((2 + 4 * Math.exp(-4)) / 6)]);
    // every triplet: 0 - 2 + 0.5 < 0 -> inactive; covariance has one non-zero eigenvalue direction.
    assert.strictEqual(h.fractionActiveTriplets, 0);
    expectClose([h.effectiveRank, h.topComponentFraction], [1, 1], 1e-9);
    assert.deepStrictEqual(
      h.histogram.positive.reduce((s, v) => s + v, 0),
      2,
    );
    assert.strictEqual(h.histogram.negative[Math.floor((Math.SQRT2 / 2) * 20)], 4);
  });
  it('isotropic data has a high effective rank; collapsed data a low one', () => {
    const rng = new Random(2);
    const iso = Array.from({ length: 400 }, () => Array.from({ length: 8 }, () => rng.normal()));
    const line = iso.map((r) => r.map((_, d) => r[0] * (d + 1) + 1e-3 * r[d]));
    const labels = iso.map((_, i) => i % 4);
    const a = embeddingHealth(iso, labels, { seed: 3 });
    const b = embeddingHealth(line, labels, { seed: 3 });
    assert.ok(a.effectiveRank > 7 && b.effectiveRank < 1.1, `${a.effectiveRank} ${b.effectiveRank}`);
    assert.ok(a.fractionActiveTriplets > 0.3, `active ${a.fractionActiveTriplets}`);
  });
});
