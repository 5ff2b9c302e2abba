import { strict as assert } from 'assert';
import { Random } from '../lib/random';

describe('Random', () => {
  it('gives the same stream for the same seed and different streams for nearby seeds', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.uniform()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c.uniform()),
    );
  });

  it('draws uniform and normal values with the right moments', () => {
    const r = new Random(1);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    assert.ok(Math.abs(s / n) < 0.03, `normal mean ${s / n}`);
    assert.ok(Math.abs(s2 / n - 1) < 0.05, `normal variance ${s2 / n}`);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    for (const c of counts) assert.ok(Math.abs(c - n / 10) < 0.1 * (n / 10), `int(10) counts ${counts}`);
  });

  it('permutes, samples and forks deterministically', () => {
    const r = new Random(3);
    const p = Array.from(r.permutation(10)).sort((x, y) => x - y);
    assert.deepEqual(p, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(new Set(r.sample([1, 2, 3, 4, 5], 5)).size, 5);
    const f1 = new Random(3).fork('x').uniform();
    const f2 = new Random(3).fork('x').uniform();
    const f3 = new Random(3).fork('y').uniform();
    assert.equal(f1, f2);
    assert.notEqual(f1, f3);
  });

  it('rejects bad seeds and arguments with messages naming them', () => {
    assert.throws(() => new Random(1.5), /Error in Random: seed must be an integer, but got 1.5/);
    assert.throws(() => new Random(1).int(0), /Error in Random.int: n must be a positive integer/);
  });
});
