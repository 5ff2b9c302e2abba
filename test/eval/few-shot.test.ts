import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { fewShotAccuracy, meanInterval } from '../../lib/eval';
import { EpisodeSampler, type Episode } from '../../lib/samplers';
import { expectNoLeak } from '../helpers/backends';
import { Random } from '../../lib/random';

/** One hand-made episode over a 1-D pool: way 0 support at 0 and 10, way 1 support at 4 and 5. */
const pool = (): tf.Tensor2D => tf.tensor2d([[0], [10], [4], [5], [9], [4.6], [-1]]);
const handEpisode: Episode = {
  classes: [0, 1],
  support: Int32Array.from([0, 1, 2, 3]),
  supportWays: Int32Array.from([0, 0, 1, 1]),
  query: Int32Array.from([4, 5, 6]),
  queryWays: Int32Array.from([0, 1, 0]),
};

describe('fewShotAccuracy', () => {
  it('hand case (squared Euclidean): 1-NN and prototypes disagree where the class is bimodal', () => {
    const e = pool();
    const s = expectNoLeak(() => fewShotAccuracy(e, [handEpisode], { distance: 'euclidean' }));
    // Prototypes: way 0 at 5 (mean of 0 and 10), way 1 at 4.5.
    // Query 9 (way 0): nearest item 10 -> right; prototype 5 (d² 16 vs 20.25) -> right.
    // Query 4.6 (way 1): nearest item 5 -> right; prototype 4.5 (d² 0.01 vs 0.16) -> right.
    // Query -1 (way 0): nearest item 0 -> right; prototypes d² 36 vs 30.25 -> way 1, wrong.
    assert.deepEqual(s['nearest-neighbour'].perEpisode, [1]);
    assert.ok(Math.abs(s.prototype.perEpisode[0] - 2 / 3) < 1e-12, `${s.prototype.perEpisode[0]}`);
    e.dispose();
  });

  it('cosine: the prototype is the mean of unit vectors, so the norm of a support item does not count', () => {
    // Way 0: directions 0 deg (norm 10) and 90 deg; way 1: 50 deg. Query at 40 deg belongs to way 0.
    const dir = (deg: number, r = 1): number[] => [
      r * Math.cos((deg * Math.PI) / 180),
      r * Math.sin((deg * Math.PI) / 180),
    ];
    const e = tf.tensor2d([dir(0, 10), dir(90), dir(50), dir(50, 2), dir(40), dir(53)]);
    const episode: Episode = {
      classes: [3, 4],
      support: Int32Array.from([0, 1, 2, 3]),
      supportWays: Int32Array.from([0, 0, 1, 1]),
      query: Int32Array.from([4, 5]),
      queryWays: Int32Array.from([0, 1]),
    };
    const s = fewShotAccuracy(e, [episode]);
    // Prototype of way 0 points at 45 deg: query 40 deg is 5 deg from it, 10 deg from way 1 -> right;
    // 1-NN of 40 deg is the 50 deg item (way 1) -> wrong. Query 53 deg is right for both.
    assert.deepEqual(s.prototype.perEpisode, [1]);
    assert.deepEqual(s['nearest-neighbour'].perEpisode, [0.5]);
    // Under squared Euclidean the norm-10 item drags the plain mean: prototype (5, 0.5), so 40 deg goes to way 1.
    assert.deepEqual(fewShotAccuracy(e, [episode], { distance: 'euclidean' }).prototype.perEpisode, [0.5]);
    e.dispose();
  });

  it('matches a brute-force count on sampled episodes and reports the interval over episodes', () => {
    const rng = new Random(2);
    const labels = Int32Array.from({ length: 120 }, (_, i) => i % 6);
    const rows = Array.from(labels, (c) => [c + rng.normal() * 0.8, rng.normal()]);
    const e = tf.tensor2d(rows);
    const episodes = new EpisodeSampler({ labels, ways: 3, shots: 2, queries: 5, seed: 9 }).episodes(40);
    const s = fewShotAccuracy(e, episodes, { distance: 'euclidean' });
    const d2 = (a: number[], b: number[]): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
    const expected = episodes.map((ep) => {
      let right = 0;
      ep.query.forEach((q, j) => {
        const dists = Array.from(ep.support, (i) => d2(rows[q], rows[i]));
        if (ep.supportWays[dists.indexOf(Math.min(...dists))] === ep.queryWays[j]) right++;
      });
      return right / ep.query.length;
    });
    s['nearest-neighbour'].perEpisode.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `episode ${i}`));
    assert.deepEqual(s['nearest-neighbour'].accuracy, meanInterval(expected));
    // Classes one unit apart with noise 0.8: clearly above chance (1/3), clearly below perfect.
    for (const m of ['nearest-neighbour', 'prototype'] as const) {
      assert.ok(s[m].accuracy.mean > 0.45 && s[m].accuracy.mean < 0.95, `${m}: ${s[m].accuracy.text}`);
      assert.ok(s[m].accuracy.halfWidth > 0 && s[m].accuracy.halfWidth < 0.1);
    }
    e.dispose();
  });

  it('rejects bad episodes and options, naming them', () => {
    const e = pool();
    assert.throws(() => fewShotAccuracy(e, []), /Error in fewShotAccuracy: episodes must be a non-empty array/);
    const outside = { ...handEpisode, query: Int32Array.from([4, 5, 7]) };
    assert.throws(
      () => fewShotAccuracy(e, [outside]),
      /episodes\[0\].query must index rows of embeddings \(0..6\), but got 7/,
    );
    const noWay1 = { ...handEpisode, supportWays: Int32Array.from([0, 0, 0, 0]) };
    assert.throws(() => fewShotAccuracy(e, [noWay1]), /supportWays must give every way \(2\) a support item/);
    assert.throws(
      () => fewShotAccuracy(e, [handEpisode], { distance: 'dot' as 'cosine' }),
      /distance must be one of 'cosine', 'euclidean'/,
    );
    e.dispose();
  });
});
