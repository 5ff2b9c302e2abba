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

  it('collapse indicator, hand case: relative different-class distance and mean pairwise distance', () => {
    // The four points above, scaled by r: 4 negative pairs at r sqrt(2), 2 positive at 0, norms r.
    // Distances and norms scale together, so the relative distance stays sqrt(2).
    for (const r of [1, 3]) {
      const points = [
        [r, 0],
        [r, 0],
        [0, r],
        [0, r],
      ];
      const h = embeddingHealth(points, [0, 0, 1, 1], { seed: 1 });
      expectClose([h.meanPairwiseDistance, h.relativeNegativeDistance], [(4 * r * Math.SQRT2) / 6, Math.SQRT2]);
      assert.strictEqual(h.collapsed, false);
    }
    // A threshold above sqrt(2) calls even this collapsed: the threshold is what decides.
    assert.strictEqual(
      embeddingHealth(
        [
          [1, 0],
          [0, 1],
        ],
        [0, 1],
        { seed: 1, collapseThreshold: 1.5 },
      ).collapsed,
      true,
    );
  });

  it('a tiny isotropic cloud around one unit vector is collapsed although its effective rank is high', () => {
    const rng = new Random(4);
    const D = 8;
    const unitRows = (rows: number[][]) => rows.map((r) => r.map((v) => v / Math.hypot(...r)));
    // Every point within 0.01 of e1 (offset of length <= 0.005 before normalising), then on the sphere.
    const cloud = unitRows(
      Array.from({ length: 200 }, () => {
        const dir = Array.from({ length: D }, () => rng.normal());
        const len = (0.005 * rng.uniform()) / Math.hypot(...dir);
        return dir.map((v, d) => (d === 0 ? 1 : 0) + v * len);
      }),
    );
    assert.ok(cloud.every((r) => Math.hypot(r[0] - 1, ...r.slice(1)) < 0.01));
    const spread = unitRows(Array.from({ length: 200 }, () => Array.from({ length: D }, () => rng.normal())));
    const labels = cloud.map((_, i) => i % 4);
    const c = embeddingHealth(cloud, labels, { seed: 5 });
    const w = embeddingHealth(spread, labels, { seed: 5 });
    // Different-class points are at most 0.02 apart in the cloud, so the mean is below that.
    assert.ok(c.collapsed && c.relativeNegativeDistance < 0.02, `cloud ${c.relativeNegativeDistance}`);
    // Near sqrt(2) for random directions in 8-D (the mean chord is a little below it).
    assert.ok(
      !w.collapsed && Math.abs(w.relativeNegativeDistance - Math.SQRT2) < 0.15,
      `spread ${w.relativeNegativeDistance}`,
    );
    // The reason for the new field: the spectrum of the cloud looks healthy (rank 7 of the tangent space).
    assert.ok(c.effectiveRank > 5, `effective rank of the cloud ${c.effectiveRank}`);
    // All-zero embeddings: the limit of a collapse.
    const zero = embeddingHealth(
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      [0, 1, 1],
      { seed: 1 },
    );
    assert.deepStrictEqual([zero.relativeNegativeDistance, zero.collapsed], [0, true]);
    // One class: no different-class pair, so no verdict.
    const one = embeddingHealth(
      [
        [1, 0],
        [0, 1],
      ],
      [0, 0],
      { seed: 1 },
    );
    assert.ok(Number.isNaN(one.relativeNegativeDistance) && one.collapsed === false);
  });

  it('checks collapseThreshold', () => {
    assert.throws(
      () =>
        embeddingHealth(
          [
            [1, 0],
            [0, 1],
          ],
          [0, 1],
          { seed: 1, collapseThreshold: 0 },
        ),
      /Error in embeddingHealth: collapseThreshold must be > 0, but got 0/,
    );
  });
  it('asks for the seed by name when it is missing', () => {
    const two = [
      [1, 0],
      [0, 1],
    ];
    for (const options of [{}, undefined]) {
      assert.throws(
        () => embeddingHealth(two, [0, 1], options as unknown as { seed: number }),
        /Error in embeddingHealth: options\.seed must be given \(an integer or a Random\)/,
      );
    }
  });
});
