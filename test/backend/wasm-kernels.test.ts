import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready, useBackend } from '../../lib/backend';
import { bridgeKernel, referenceBackend } from '../../lib/backend/kernel-bridge';
import { missingKernels, registerMissingWasmKernels, UNBRIDGED_WASM_KERNELS } from '../../lib/backend/wasm-kernels';
import { Random } from '../../lib/random';
import { expectClose, expectNoLeak } from '../helpers/backends';
import { expectWasmMatchesCpu, runOn } from './compare';
import { mlp, quadrantImages, seededNormal, smallCnn, trainAdam } from './tiny-models';

/** Gradients of sum(conv2d(x, f) * w) with respect to x and f, for seeded x, f, w. */
function convGrads(xShape: number[], fShape: number[], strides: number, pad: 'same' | 'valid' | number): tf.Tensor[] {
  const rng = new Random(7);
  const x = seededNormal(rng, xShape) as tf.Tensor4D;
  const f = seededNormal(rng, fShape) as tf.Tensor4D;
  const outShape = tf.conv2d(x, f, strides, pad).shape;
  const w = seededNormal(rng, outShape);
  return tf.grads((a, b) =>
    tf
      .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad)
      .mul(w)
      .sum(),
  )([x, f]);
}

/** Plain-loop filter gradient of sum(conv2d(x, f, stride 1, 'valid') * w), NHWC. */
function referenceFilterGrad(x: tf.Tensor4D, w: tf.Tensor4D, fh: number, fw: number): Float64Array {
  const [n, h, wd, ci] = x.shape;
  const [, oh, ow, co] = w.shape;
  const xs = x.arraySync();
  const ws = w.arraySync();
  const out = new Float64Array(fh * fw * ci * co);
  for (let r = 0; r < fh; r++)
    for (let c = 0; c < fw; c++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          for (let b = 0; b < n; b++)
            for (let y = 0; y < oh; y++)
              for (let z = 0; z < ow; z++) {
                assert.ok(y + r < h && z + c < wd);
                out[((r * fw + c) * ci + i) * co + o] += xs[b][y + r][z + c][i] * ws[b][y][z][o];
              }
  return out;
}

describe('wasm backend: missing kernels', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });
  after(async function () {
    await useBackend('wasm');
  });

  describe('registerMissingWasmKernels', () => {
    it('adds every cpu-only kernel except the complex/canvas ones, replaces MaxPoolGrad, is idempotent', () => {
      const first = registerMissingWasmKernels();
      assert.ok(first.includes('UnsortedSegmentSum'), `UnsortedSegmentSum missing from ${first.join(', ')}`);
      assert.ok(first.includes('Conv2DBackpropFilter'), `Conv2DBackpropFilter missing from ${first.join(', ')}`);
      assert.ok(first.includes('MaxPoolGrad'), `MaxPoolGrad (replaced) missing from ${first.join(', ')}`);
      assert.deepEqual(registerMissingWasmKernels(), first, 'a second call must report the same list');
      // After registration the only gaps left are the ones deliberately skipped.
      assert.deepEqual(missingKernels('wasm'), Object.keys(UNBRIDGED_WASM_KERNELS).sort());
      for (const name of first) assert.ok(tf.getKernel(name, 'wasm'), `${name} not registered for wasm`);
    });

    it('useBackend("wasm") again registers nothing new and wraps nothing twice', async () => {
      // The registry is keyed by name, so a count cannot see a kernel wrapped a second time;
      // the kernel functions themselves must be the very same objects.
      const kernelFuncs = (): Map<string, tf.KernelFunc> =>
        new Map(tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k.kernelFunc]));
      const before = kernelFuncs();
      await useBackend('wasm');
      registerMissingWasmKernels();
      const after = kernelFuncs();
      assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
      const changed = [...before].filter(([name, fn]) => after.get(name) !== fn).map(([name]) => name);
      assert.deepEqual(changed, [], 'kernels re-registered (wrapped again?)');
    });

    it('bridgeKernel names an unknown kernel', () => {
      assert.throws(
        () => bridgeKernel('NoSuchKernel'),
        /Error in bridgeKernel: kernelName must be registered for 'cpu', but got 'NoSuchKernel'/,
      );
    });
  });

  describe('gradients on wasm equal the cpu backend', () => {
    it('conv2d 5x5, 1->8 channels, input [4,28,28,1]: d/dx and d/dfilter within 1e-4', async () => {
      const out = await expectWasmMatchesCpu(() => convGrads([4, 28, 28, 1], [5, 5, 1, 8], 1, 'same'));
      assert.deepEqual(out.shapes, [
        [4, 28, 28, 1],
        [5, 5, 1, 8],
      ]);
      assert.ok(Math.max(...out.values[1].map(Math.abs)) > 1, 'filter gradient is trivially small');
    });

    it('conv2d with stride 2, valid and numeric padding, several channels', async () => {
      await expectWasmMatchesCpu(() => convGrads([2, 9, 11, 3], [3, 3, 3, 4], 2, 'valid'));
      await expectWasmMatchesCpu(() => convGrads([2, 8, 8, 2], [3, 2, 2, 5], 2, 'same'));
      await expectWasmMatchesCpu(() => convGrads([1, 7, 7, 2], [3, 3, 2, 3], 1, 1));
    });

    it('the filter gradient equals a plain-loop reference on a tiny input', async () => {
      await useBackend('wasm');
      tf.tidy(() => {
        const rng = new Random(11);
        const x = seededNormal(rng, [2, 4, 5, 2]) as tf.Tensor4D;
        const f = seededNormal(rng, [3, 2, 2, 3]) as tf.Tensor4D;
        const w = seededNormal(rng, [2, 2, 4, 3]) as tf.Tensor4D;
        const g = tf.grad((b) =>
          tf
            .conv2d(x, b as tf.Tensor4D, 1, 'valid')
            .mul(w)
            .sum(),
        )(f);
        expectClose(g.dataSync(), referenceFilterGrad(x, w, 3, 2), 1e-5, 1e-5, 'dW');
      });
    });

    it('NCHW filter gradients (not covered by the direct kernel) fall back to the bridge', async () => {
      await expectWasmMatchesCpu(() => {
        const rng = new Random(5);
        const x = seededNormal(rng, [2, 3, 6, 6]);
        const dy = seededNormal(rng, [2, 4, 6, 6]);
        const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
        return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
      });
    });

    it('maxPool: the gradient routes to each window maximum', async () => {
      const out = await expectWasmMatchesCpu(() => {
        const rng = new Random(3);
        const x = seededNormal(rng, [2, 8, 8, 3]) as tf.Tensor4D;
        return tf.grad((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(x);
      });
      // By hand: 2x2 windows over distinct values, so exactly one 1 per window and zeros elsewhere.
      const g = out.values[0];
      assert.equal(g.filter((v) => v === 1).length, 2 * 4 * 4 * 3);
      assert.equal(g.filter((v) => v === 0).length, g.length - 2 * 4 * 4 * 3);
    });

    it('maxPool on an all-negative image: every window passes its gradient (by hand)', async () => {
      await useBackend('wasm');
      // Window maxima: -1 (index 0), -2 (7), -5 (12), -3 (14). tfjs 4.22's own wasm kernel
      // gives a gradient to the first window only.
      const x = [-1, -8, -15, -6, -13, -4, -11, -2, -9, -16, -7, -14, -5, -12, -3, -10];
      const g = tf.tidy(() =>
        tf
          .grad((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(tf.tensor4d(x, [1, 4, 4, 1]))
          .dataSync(),
      );
      const expected = x.map((_, i) => ([0, 7, 12, 14].includes(i) ? 1 : 0));
      assert.deepEqual(Array.from(g), expected);
    });

    it('gather: the gradient sums the upstream rows per index (plain-loop reference)', async () => {
      const idx = [1, 1, 3, 0, 7, 1, -0, 3];
      const rows = 9;
      const out = await expectWasmMatchesCpu(() => {
        const rng = new Random(4);
        const v = seededNormal(rng, [rows, 5]);
        const w = seededNormal(rng, [idx.length, 5]);
        return tf.grad((a: tf.Tensor) => tf.gather(a, tf.tensor1d(idx, 'int32')).mul(w).sum())(v);
      });
      const w = tf.tidy(() =>
        seededNormal(new Random(4), [rows * 5 + idx.length * 5])
          .dataSync()
          .slice(rows * 5),
      );
      const expected = new Float64Array(rows * 5);
      idx.forEach((row, k) => {
        for (let j = 0; j < 5; j++) expected[row * 5 + j] += w[k * 5 + j];
      });
      expectClose(out.values[0], expected, 1e-6, 1e-6, 'gather gradient');
    });

    it('gather along axis 1 with 2-D indices, and int32 segment sums (bridged)', async () => {
      await expectWasmMatchesCpu(() => {
        const rng = new Random(6);
        const v = seededNormal(rng, [3, 6, 2]);
        const ind = tf.tensor2d([0, 5, 5, 2], [2, 2], 'int32');
        return tf.grad((a: tf.Tensor) => tf.gather(a, ind, 1).square().sum())(v);
      });
      await expectWasmMatchesCpu(() =>
        tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([2, 0, 2, -1], 'int32'), 3),
      );
    });
  });

  describe('bridged kernels keep the kernel contract', () => {
    it('Einsum (inputs as a list), RaggedRange (two outputs) and StaticRegexReplace (strings)', async () => {
      await expectWasmMatchesCpu(() => {
        const rng = new Random(8);
        return tf.einsum('ij,jk->ik', seededNormal(rng, [3, 4]), seededNormal(rng, [4, 2]));
      });
      const ragged = await runOn('wasm', () => {
        const t = (v: number[]) => tf.tensor1d(v, 'int32');
        return tf
          .engine()
          .runKernel('RaggedRange', { starts: t([0, 5]), limits: t([3, 7]), deltas: t([1, 1]) }, {}) as tf.Tensor[];
      });
      // By hand: [0, 1, 2] and [5, 6], so row splits [0, 3, 5].
      assert.deepEqual(ragged.values, [
        [0, 3, 5],
        [0, 1, 2, 5, 6],
      ]);
      assert.deepEqual(ragged.dtypes, ['int32', 'int32']);
      await useBackend('wasm');
      const replaced = tf.tidy(() => {
        const attrs = { pattern: 'b', rewrite: 'X', replaceGlobal: true };
        const out = tf.engine().runKernel('StaticRegexReplace', { x: tf.tensor(['abcb', 'b']) }, attrs) as tf.Tensor;
        return out.arraySync();
      });
      assert.deepEqual(replaced, ['aXcX', 'X']);
    });

    it('leaves no tensor behind on either backend', async () => {
      await useBackend('wasm');
      const rng = new Random(9);
      const x = seededNormal(rng, [2, 6, 6, 3]) as tf.Tensor4D;
      const f = seededNormal(rng, [3, 3, 3, 2]) as tf.Tensor4D;
      const v = seededNormal(rng, [5, 4]);
      const wasmBackend = tf.backend();
      const cpuBackend = referenceBackend('cpu');
      const step = (): void =>
        tf.tidy(() => {
          // Bridged kernels (depthwise filter and input gradients, Einsum) and the direct ones.
          const [gx, gf] = tf.grads((a, b) => {
            const [a4, b4] = [a as tf.Tensor4D, b as tf.Tensor4D];
            const depthwise = tf.depthwiseConv2d(a4, b4.slice([0, 0, 0, 0], [3, 3, 3, 1]), 1, 'same');
            return tf.add(depthwise.sum(), tf.conv2d(a4, b4, 1, 'same').sum());
          })([x, f]);
          const gv = tf.grad((a: tf.Tensor) => tf.gather(a, [0, 4, 4]).square().sum())(v);
          const e = tf.einsum('ij,kj->ik', v, v);
          const p = tf.grad((a) => tf.maxPool(a as tf.Tensor4D, 2, 1, 'same').sum())(x);
          e.dataSync();
          p.dataSync();
          gx.dataSync();
          gf.dataSync();
          gv.dataSync();
        });
      step(); // warm-up: the first call may create the cpu backend
      const wasmIds = wasmBackend.numDataIds();
      const cpuIds = cpuBackend.numDataIds();
      expectNoLeak(step);
      assert.equal(wasmBackend.numDataIds(), wasmIds, 'wasm data left behind');
      assert.equal(cpuBackend.numDataIds(), cpuIds, 'temporary cpu copies left behind');
      tf.dispose([x, f, v]);
    });
  });

  describe('training on wasm', () => {
    it('small CNN: the first Adam steps on wasm follow the cpu backend', async () => {
      const curve = async (backend: 'wasm' | 'cpu'): Promise<number[]> => {
        await useBackend(backend);
        const { x, y } = quadrantImages(8, 31);
        const model = smallCnn(32);
        const losses = trainAdam(model, x, y, 3, 0.003);
        tf.dispose([x, y, ...model.variables]);
        return losses;
      };
      const cpu = await curve('cpu');
      const wasm = await curve('wasm');
      // float32 sums in different orders: agreement to ~1e-6 relative; 1e-3 still catches a wrong gradient.
      expectClose(wasm, cpu, 1e-4, 1e-3, 'loss after each step');
      assert.ok(cpu[3] < cpu[0], `cpu loss did not move: ${cpu.join(', ')}`);
    });

    // Full-batch Adam on 4 well-separated classes: ln 4 = 1.39 at chance; a trainer that
    // works gets far below half of that in 30 steps, one that does not (zero or wrong
    // gradients) stays near the start.
    for (const [name, make] of [
      ['MLP 784-64-32', mlp],
      ['small CNN (conv 8, pool, conv 16, dense 32)', smallCnn],
    ] as const) {
      it(`${name}: 30 Adam steps lower the loss clearly`, async () => {
        await useBackend('wasm');
        const { x, y } = quadrantImages(32, 21);
        const model = make(22);
        const initial = model.variables.map((v) => v.dataSync().slice());
        const before = tf.memory().numTensors;
        const losses = trainAdam(model, x, y, 30);
        assert.equal(tf.memory().numTensors, before, 'training leaked tensors');
        const [first, last] = [losses[0], losses[losses.length - 1]];
        assert.ok(first > 0.5, `initial loss ${first} is suspiciously low for 4 balanced classes`);
        assert.ok(last < 0.3 * first, `loss went ${first.toFixed(3)} -> ${last.toFixed(3)}; expected < 30% of start`);
        // Every layer learned: a zero gradient (a kernel returning zeros) leaves Adam's step at 0.
        model.variables.forEach((v, i) => {
          const moved = Math.max(...Array.from(v.dataSync(), (a, j) => Math.abs(a - initial[i][j])));
          assert.ok(moved > 1e-3, `variable ${i} [${v.shape}] moved only ${moved}`);
        });
        tf.dispose([x, y, ...model.variables]);
      });
    }
  });
});
