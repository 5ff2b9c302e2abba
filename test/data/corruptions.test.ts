import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { augment, corrupt, corruptPixels, CORRUPTION_INFO, CORRUPTIONS } from '../../lib/data/corruptions';
import { loadMnist } from '../../lib/data/datasets';
import { SHIPPED_DATA_DIR } from '../../lib/data/locate';
import { expectClose } from '../helpers/backends';

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** A 28×28 image of one value. */
function flat(value: number, n = 1): Float32Array {
  return new Float32Array(n * 784).fill(value);
}

describe('corruptions', function () {
  const N = 32;
  let batch: tf.Tensor4D;
  let pixels: Float32Array;
  before(async function () {
    await ready();
    const ds = await loadMnist({ split: 'test', limit: N, dataDir: SHIPPED_DATA_DIR });
    batch = ds.images;
    pixels = batch.dataSync() as Float32Array;
  });
  after(() => batch.dispose());

  it('registry lists the 17 MNIST-C style corruptions with five levels each', function () {
    assert.deepEqual([...CORRUPTIONS].sort(), [
      'brightness',
      'contrast',
      'dotted_line',
      'elastic',
      'fog',
      'gaussian_blur',
      'gaussian_noise',
      'impulse_noise',
      'inversion',
      'motion_blur',
      'rotate',
      'scale',
      'shear',
      'shot_noise',
      'stripe',
      'translate',
      'zigzag',
    ]);
    for (const name of CORRUPTIONS) assert.equal(CORRUPTION_INFO[name].levels.length, 5, name);
  });

  for (const name of CORRUPTIONS) {
    it(`${name}: identity at 0, stays in [0,1], damage grows with severity, seeded`, function () {
      const mads: number[] = [];
      for (let s = 0; s <= 5; s++) {
        const out = corruptPixels(pixels, [N, 28, 28], name, s, 11);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of out) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        assert.ok(lo >= 0 && hi <= 1, `severity ${s}: range [${lo}, ${hi}]`);
        mads.push(meanAbsDiff(out, pixels));
      }
      assert.equal(mads[0], 0, 'severity 0 must be the identity');
      assert.ok(mads[1] > 0.005, `severity 1 must change the images (MAD ${mads[1]})`);
      for (let s = 2; s <= 5; s++) {
        assert.ok(mads[s] >= mads[s - 1], `MAD must not decrease: ${mads.map((m) => m.toFixed(4)).join(' ')}`);
      }
      assert.ok(mads[5] > 1.3 * mads[1], `severity 5 must be clearly stronger: ${mads.join(' ')}`);
      assert.deepEqual(
        corruptPixels(pixels, [N, 28, 28], name, 3, 11),
        corruptPixels(pixels, [N, 28, 28], name, 3, 11),
      );
    });
  }

  it('random corruptions depend on the seed; image i does not depend on the batch it is in', function () {
    for (const name of ['rotate', 'gaussian_noise', 'zigzag', 'elastic'] as const) {
      assert.notDeepEqual(
        corruptPixels(pixels, [N, 28, 28], name, 3, 1),
        corruptPixels(pixels, [N, 28, 28], name, 3, 2),
      );
      const full = corruptPixels(pixels, [N, 28, 28], name, 3, 5);
      const firstTwo = corruptPixels(pixels.slice(0, 2 * 784), [2, 28, 28], name, 3, 5);
      assert.deepEqual(firstTwo, full.slice(0, 2 * 784), name);
    }
  });

  it('photometric corruptions match their formulas on hand-made inputs', function () {
    const ramp = Float32Array.from({ length: 784 }, (_, i) => (i % 28) / 27);
    expectClose(
      corruptPixels(ramp, [1, 28, 28], 'inversion', 5, 0),
      ramp.map((v) => 1 - v),
      1e-6,
      0,
      'inversion',
    );
    expectClose(
      corruptPixels(ramp, [1, 28, 28], 'brightness', 3, 0),
      ramp.map((v) => Math.min(1, v + 0.3)),
      1e-6,
      0,
      'brightness',
    );
    // Contrast 0.1 about the image mean (the ramp's mean is 0.5).
    expectClose(
      corruptPixels(ramp, [1, 28, 28], 'contrast', 5, 0),
      ramp.map((v) => (v - 0.5) * 0.1 + 0.5),
      1e-5,
      0,
      'contrast',
    );
  });

  it('noise corruptions have their documented strength on a mid-grey image', function () {
    const n = 64;
    const grey = flat(0.5, n);
    const g = corruptPixels(grey, [n, 28, 28], 'gaussian_noise', 1, 3);
    let ss = 0;
    for (const v of g) ss += (v - 0.5) ** 2;
    // σ = 0.08 at severity 1 (far from the clip at 0 and 1); 50k samples pin it within 2%.
    assert.ok(Math.abs(Math.sqrt(ss / g.length) - 0.08) < 0.0016, `σ ${Math.sqrt(ss / g.length)}`);
    const imp = corruptPixels(grey, [n, 28, 28], 'impulse_noise', 5, 3);
    const hit = imp.filter((v) => v !== 0.5).length / imp.length;
    assert.ok(Math.abs(hit - 0.2) < 0.01, `impulse fraction ${hit}`);
    // Poisson(λ·x)/λ has mean x and variance x/λ: at λ = 12 (severity 3), σ = sqrt(0.5/12).
    const shot = corruptPixels(grey, [n, 28, 28], 'shot_noise', 3, 3);
    const m = shot.reduce((a, b) => a + b, 0) / shot.length;
    assert.ok(Math.abs(m - 0.5) < 0.01, `shot mean ${m}`);
  });

  it('blurs keep the mass of an interior dot; scale moves a line as the geometry says', function () {
    const dot = flat(0);
    dot[14 * 28 + 14] = 1;
    for (const name of ['gaussian_blur', 'motion_blur'] as const) {
      const out = corruptPixels(dot, [1, 28, 28], name, 3, 4);
      assert.ok(Math.abs(out.reduce((a, b) => a + b, 0) - 1) < 1e-4, name);
      assert.ok(out[14 * 28 + 14] < 0.5, `${name} spreads the dot`);
    }
    // Scaling by 0.45 about the centre (13.5, 13.5) moves the column x = 27 to 13.5 + 13.5·0.45 ≈ 19.6;
    // a one-pixel line is point-sampled onto whole pixels, hence the half-pixel tolerance.
    const bar = flat(0);
    for (let y = 0; y < 28; y++) bar[y * 28 + 27] = 1;
    const scaled = corruptPixels(bar, [1, 28, 28], 'scale', 5, 0);
    let cx = 0;
    let mass = 0;
    for (let i = 0; i < 784; i++) {
      cx += (i % 28) * scaled[i];
      mass += scaled[i];
    }
    assert.ok(Math.abs(cx / mass - (13.5 + 13.5 * 0.45)) <= 0.5, `centroid x ${cx / mass}`);
  });

  it('corrupt() works on tensors and leaves only its result', function () {
    const before = tf.memory().numTensors;
    const out = corrupt(batch, 'fog', 2, { seed: 0 });
    assert.equal(tf.memory().numTensors, before + 1);
    assert.deepEqual(out.shape, batch.shape);
    assert.deepEqual(out.dataSync(), corruptPixels(pixels, [N, 28, 28], 'fog', 2, 0));
    out.dispose();
    assert.throws(
      () => corrupt(batch, 'fog', 6, { seed: 0 }),
      /Error in corrupt: severity must be >= 0 and <= 5, but got 6/,
    );
    assert.throws(
      // @ts-expect-error: unknown names must fail loudly
      () => corrupt(batch, 'snow', 1, { seed: 0 }),
      /Error in corrupt: name must be one of 'rotate', .*, but got "snow"/,
    );
    const flatTensor = tf.zeros([2, 784]);
    assert.throws(
      // @ts-expect-error: flat images are refused
      () => corrupt(flatTensor, 'fog', 1, { seed: 0 }),
      /images must be a 4-D tensor \[N, H, W, 1\], but got a tensor of shape \[2,784\]/,
    );
    flatTensor.dispose();
  });

  it('augment: seeded, in range, identity when every option is 0', function () {
    const a = augment(batch, { seed: 1 });
    const b = augment(batch, { seed: 1 });
    const c = augment(batch, { seed: 2 });
    const id = augment(batch, { seed: 1, maxShift: 0, maxRotation: 0, maxScale: 0, noiseStd: 0 });
    try {
      assert.deepEqual(a.dataSync(), b.dataSync());
      assert.notDeepEqual(a.dataSync(), c.dataSync());
      const av = a.dataSync();
      assert.ok(av.every((v) => v >= 0 && v <= 1));
      const mad = meanAbsDiff(av as Float32Array, pixels);
      assert.ok(mad > 0.02 && mad < 0.2, `augmentation should be mild but real (MAD ${mad})`);
      expectClose(id.dataSync(), pixels, 1e-6, 0, 'identity augmentation');
    } finally {
      for (const t of [a, b, c, id]) t.dispose();
    }
  });
});
