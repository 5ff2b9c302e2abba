import { strict as assert } from 'assert';
import { EpisodeSampler } from '../../lib/samplers';

/** 8 classes (labels 10..17) of 12 items each, interleaved. */
const labels = Int32Array.from({ length: 96 }, (_, i) => 10 + (i % 8));

describe('EpisodeSampler', () => {
  it('draws N distinct classes and K + Q distinct items of each, support and query disjoint', () => {
    const s = new EpisodeSampler({ labels, ways: 5, shots: 3, queries: 4, seed: 7 });
    for (const e of s.episodes(50)) {
      assert.equal(e.classes.length, 5);
      assert.equal(new Set(e.classes).size, 5, 'classes without replacement');
      assert.equal(e.support.length, 15);
      assert.equal(e.query.length, 20);
      const all = [...e.support, ...e.query];
      assert.equal(new Set(all).size, all.length, 'items without replacement, support and query disjoint');
      e.support.forEach((i, j) => assert.equal(labels[i], e.classes[e.supportWays[j]], 'support item of its way'));
      e.query.forEach((i, j) => assert.equal(labels[i], e.classes[e.queryWays[j]], 'query item of its way'));
      assert.deepEqual([...e.supportWays], [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    }
  });

  it('is seeded: the same seed gives the same episodes, episode i does not depend on the others', () => {
    const a = new EpisodeSampler({ labels, ways: 5, shots: 1, queries: 2, seed: 3 });
    const b = new EpisodeSampler({ labels, ways: 5, shots: 1, queries: 2, seed: 3 });
    assert.deepEqual(a.episodes(10), b.episodes(10));
    assert.deepEqual(a.episode(7), b.episodes(3, 5)[2]);
    const c = new EpisodeSampler({ labels, ways: 5, shots: 1, queries: 2, seed: 4 });
    assert.notDeepEqual(a.episodes(5), c.episodes(5));
  });

  it('draws every class and every item over many episodes, about uniformly', () => {
    const s = new EpisodeSampler({ labels, ways: 2, shots: 1, queries: 1, seed: 1 });
    const classCount = new Map<number, number>();
    const itemSeen = new Set<number>();
    for (const e of s.episodes(800)) {
      e.classes.forEach((c) => classCount.set(c, (classCount.get(c) ?? 0) + 1));
      [...e.support, ...e.query].forEach((i) => itemSeen.add(i));
    }
    assert.equal(itemSeen.size, labels.length);
    // Each class is expected 800 * 2 / 8 = 200 times (binomial sd ~13).
    for (const [c, n] of classCount) assert.ok(n > 150 && n < 250, `class ${c} drawn ${n} times`);
  });

  it('rejects classes with too few items, too many ways and bad sizes, naming them', () => {
    const small = Int32Array.from([...labels, 99, 99, 98]);
    assert.throws(
      () => new EpisodeSampler({ labels: small, ways: 3, shots: 2, queries: 2, seed: 1 }),
      /Error in EpisodeSampler: labels must have at least shots \+ queries = 4 items in every class, but got class 98 with 1, class 99 with 2/,
    );
    assert.throws(
      () => new EpisodeSampler({ labels, ways: 9, shots: 1, queries: 1, seed: 1 }),
      /EpisodeSampler: ways must be at most the number of classes in labels \(8\), but got 9/,
    );
    assert.throws(
      () => new EpisodeSampler({ labels, ways: 1, shots: 1, queries: 1, seed: 1 }),
      /ways must be at least 2/,
    );
    assert.throws(() => new EpisodeSampler({ labels, ways: 2, shots: 0, queries: 1, seed: 1 }), /shots must/);
    assert.throws(
      () => new EpisodeSampler({ labels, ways: 2, shots: 6, queries: 7, seed: 1 }),
      /= 13 items in every class/,
    );
    const s = new EpisodeSampler({ labels, ways: 2, shots: 1, queries: 1, seed: 1 });
    assert.throws(() => s.episode(-1), /EpisodeSampler.episode: index must be a non-negative integer/);
  });
});
