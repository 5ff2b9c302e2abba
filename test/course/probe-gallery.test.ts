import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { pixelEmbedding, probeScores, type EmbedFn, type LabelledImages } from '../../lib/course';
import { toRandom } from '../../lib/random';
import { ready } from '../../lib/backend';

function images(n: number, seed: number): LabelledImages {
  const rng = toRandom(seed);
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const data = Float32Array.from({ length: n * 16 }, (_, i) => y[Math.floor(i / 16)] * ((i % 16) / 16) + rng.uniform());
  return { x: tf.tensor4d(data, [n, 4, 4, 1]), y };
}

describe('course: probeScores with a shared gallery', () => {
  before(async () => {
    await ready();
  });

  it('embeds a gallery shared by several probes once per call, with the scores of separate calls, leaking nothing', () => {
    const gallery = images(30, 1);
    const queries = [images(9, 2), images(9, 3), images(9, 4)];
    const otherGallery = images(12, 5);
    const seen: tf.Tensor[] = [];
    const counting: EmbedFn = (x) => {
      seen.push(x);
      return pixelEmbedding(x);
    };
    const probes = [
      ...queries.map((q, i) => ({ name: `q${i}`, queries: q, gallery })),
      { name: 'other', queries: queries[0], gallery: otherGallery },
      { name: 'loo', queries: queries[1] },
    ];
    const before = tf.memory().numTensors;
    const together = probeScores(counting, probes);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(seen.filter((x) => x === gallery.x).length, 1);
    assert.equal(seen.filter((x) => x === otherGallery.x).length, 1);
    assert.equal(seen.length, probes.length + 2);
    for (const p of probes) {
      const alone = probeScores(pixelEmbedding, [p])[p.name];
      assert.deepEqual(together[p.name], alone, p.name);
    }
    // The shared gallery makes different probes score differently (not one cached answer for all).
    assert.notDeepEqual(together.q0, together.other);
    tf.dispose([gallery.x, otherGallery.x, ...queries.map((q) => q.x)]);
  });
});
