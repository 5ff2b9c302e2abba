/**
 * Embedding drift: no drift detected between two samples of one distribution, a clear detection
 * for a shifted mean, mean shift and norm ratio against hand-computed values, seeded determinism.
 */
import * as assert from 'assert';
import { embeddingDrift } from '../../lib/eval/drift';
import { Random } from '../../lib/random';
import type { Matrix } from '../../lib/linalg/matrix';

function gaussian(n: number, dims: number, seed: number, shift = 0): Matrix {
  const rng = new Random(seed);
  return {
    data: Float32Array.from({ length: n * dims }, (_, i) => rng.normal() + (i % dims === 0 ? shift : 0)),
    rows: n,
    dims,
  };
}

describe('eval: embeddingDrift', function () {
  it('two samples of one distribution: p-value well above 0.05; a shifted mean: the smallest p-value', function () {
    const ref = gaussian(200, 8, 1);
    const same = embeddingDrift(ref, gaussian(200, 8, 2), { seed: 1, permutations: 100 });
    const moved = embeddingDrift(ref, gaussian(200, 8, 3, 1), { seed: 1, permutations: 100 });
    assert.ok(same.pValue > 0.05, `same distribution p = ${same.pValue}`);
    assert.strictEqual(moved.pValue, 1 / 101);
    assert.ok(moved.mmd2 > same.mmd2);
    // a shift of 1 along one axis, spread sqrt(8): about 0.35
    assert.ok(Math.abs(moved.meanShift - 1 / Math.sqrt(8)) < 0.1, `mean shift ${moved.meanShift}`);
  });

  it('mean shift and norm ratio on hand-made points, deterministic for a seed', function () {
    const ref = [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
    ];
    const cur = [
      [3, 0],
      [1, 0],
      [2, 1],
      [2, -1],
    ]; // moved by (2, 0)
    const d = embeddingDrift(ref, cur, { seed: 0, permutations: 20 });
    assert.ok(Math.abs(d.meanShift - 2) < 1e-6, `${d.meanShift}`); // spread = 1
    assert.ok(Math.abs(d.normRatio - (3 + 1 + 2 * Math.sqrt(5)) / 4) < 1e-6);
    assert.deepStrictEqual(embeddingDrift(ref, cur, { seed: 0, permutations: 20 }), d);
    assert.deepStrictEqual(d.pointsUsed, { reference: 4, current: 4 });
  });

  it('subsamples large sets to maxPoints and names bad arguments', function () {
    const d = embeddingDrift(gaussian(500, 4, 1), gaussian(400, 4, 2), { seed: 0, maxPoints: 50, permutations: 10 });
    assert.deepStrictEqual(d.pointsUsed, { reference: 50, current: 50 });
    assert.throws(
      () =>
        embeddingDrift(
          [
            [0, 1],
            [1, 0],
          ],
          [
            [0, 1, 2],
            [1, 2, 3],
          ],
          { seed: 0 },
        ),
      /Error in embeddingDrift: current must have 2 columns like reference/,
    );
  });
});
