import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { fewShotBySeed, fewShotRows, pixelEmbedding, type FewShotProbe } from '../../lib/course';
import { fewShotAccuracy } from '../../lib/eval';
import { EpisodeSampler } from '../../lib/samplers';
import { Random } from '../../lib/random';
import { expectNoLeak } from '../helpers/backends';

/** 6 classes x 12 tiny 2x2 images: class c is a noisy copy of its own random pattern. */
function pool(): { x: tf.Tensor4D; y: Int32Array } {
  const rng = new Random(4);
  const patterns = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rng.normal()));
  const y = Int32Array.from({ length: 72 }, (_, i) => i % 6);
  const values = Array.from(y).flatMap((c) => patterns[c].map((v) => v + rng.normal() * 0.9));
  return { x: tf.tensor4d(values, [72, 2, 2, 1]), y };
}

describe('fewShotRows', () => {
  it('gives one row per K and classifier, equal to fewShotAccuracy on the seed episodes, without leaks', () => {
    const p = pool();
    const probe: FewShotProbe = { name: 'toy', pool: p, ways: 3, shots: [1, 4], queries: 5, episodes: 30 };
    const rows = expectNoLeak(() => [
      ...fewShotRows('pixels', 2, pixelEmbedding, [probe]),
      ...fewShotRows('pixels', 1, pixelEmbedding, [probe]),
    ]);
    assert.equal(rows.length, 8);
    const flat = tf.reshape(p.x, [72, 4]) as tf.Tensor2D;
    const direct = fewShotAccuracy(
      flat,
      new EpisodeSampler({ labels: p.y, ways: 3, shots: 4, queries: 5, seed: 1 }).episodes(30),
    );
    const row = rows.find((r) => r.seed === 1 && r.shots === 4 && r.classifier === 'prototype')!;
    assert.equal(row.accuracy, direct.prototype.accuracy.mean);
    assert.equal(row.halfWidth, direct.prototype.accuracy.halfWidth);
    // K = 1: 1-NN and the prototype are the same classifier.
    for (const seed of [1, 2]) {
      assert.deepEqual(
        fewShotBySeed(rows, 'pixels', 'toy', 1, 'prototype'),
        fewShotBySeed(rows, 'pixels', 'toy', 1, 'nearest-neighbour'),
      );
      assert.ok(
        rows.filter((r) => r.seed === seed).every((r) => r.accuracy > 1 / 3 && r.accuracy <= 1),
        'above chance',
      );
    }
    // Ordered by seed whatever the order of the rows.
    assert.deepEqual(fewShotBySeed(rows, 'pixels', 'toy', 4, 'prototype')[0], direct.prototype.accuracy.mean);
    tf.dispose([p.x, flat]);
  });

  it('names the probe when a K cannot be drawn, before embedding anything', () => {
    const p = pool();
    let embedded = false;
    const probe: FewShotProbe = { name: 'toy', pool: p, ways: 3, shots: [1, 10], queries: 5, episodes: 3 };
    assert.throws(
      () => fewShotRows('m', 1, (x) => ((embedded = true), pixelEmbedding(x)), [probe]),
      /EpisodeSampler: labels must have at least shots \+ queries = 15 items in every class/,
    );
    assert.equal(embedded, false);
    assert.throws(
      () => fewShotBySeed([], 'm', 'toy', 1, 'prototype'),
      /fewShotBySeed: method must have rows on probe 'toy'/,
    );
    p.x.dispose();
  });
});
