import * as assert from 'assert';
import { purity } from '../../lib/eval/clustering';
import { kMeans } from '../../lib/linalg/kmeans';
import { Random } from '../../lib/random';

describe('kMeans', () => {
  it('finds well separated clusters and is seeded', () => {
    const rng = new Random(1);
    const x = Array.from({ length: 90 }, (_, i) => [10 * (i % 3) + rng.normal(0, 0.1), rng.normal(0, 0.1)]);
    const r1 = kMeans(x, { k: 3, seed: 5 });
    const r2 = kMeans(x, { k: 3, seed: 5 });
    assert.deepStrictEqual(r1.assignments, r2.assignments);
    assert.strictEqual(
      purity(
        x.map((_, i) => i % 3),
        r1.assignments,
      ),
      1,
    );
    assert.ok(r1.inertia < 90 * 0.1, `inertia ${r1.inertia}`);
  });
});
