/**
 * The kernels bench/train/proposed-kernels.ts installs must give the numbers of plain loops
 * (they are timed as "after" in bench/RESULTS.md, so they have to be right).
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../lib/backend';
import { Random } from '../../lib/random';
import { installProposedKernels } from '../../bench/train/proposed-kernels';
import { expectClose, expectNoLeak } from '../helpers/backends';

function values(n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** C = op(A) op(B) by loops, A and B row-major as given. */
function matMulLoop(a: Float32Array, ar: number, ac: number, b: Float32Array, bc: number, ta: boolean, tb: boolean) {
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const n = tb ? (bc === 0 ? 0 : b.length / bc) : bc;
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += (ta ? a[t * ac + i] : a[i * ac + t]) * (tb ? b[j * bc + t] : b[t * bc + j]);
      out[i * n + j] = s;
    }
  return out;
}

/** dW[r,c,i,o] = sum x[b, y*s+r-top, x*s+c-left, i] * dy[b, y, x, o] by loops. */
function filterGradLoop(
  x: Float32Array,
  xs: number[],
  dy: Float32Array,
  ds: number[],
  f: number[],
  s: number,
  top: number,
) {
  const [B, H, W, C] = xs;
  const [, OH, OW, O] = ds;
  const out = new Float32Array(f[0] * f[1] * C * O);
  for (let b = 0; b < B; b++)
    for (let y = 0; y < OH; y++)
      for (let xx = 0; xx < OW; xx++)
        for (let r = 0; r < f[0]; r++)
          for (let c = 0; c < f[1]; c++) {
            const ir = y * s + r - top;
            const ic = xx * s + c - top;
            if (ir < 0 || ir >= H || ic < 0 || ic >= W) continue;
            for (let i = 0; i < C; i++)
              for (let o = 0; o < O; o++)
                out[((r * f[1] + c) * C + i) * O + o] +=
                  x[((b * H + ir) * W + ic) * C + i] * dy[((b * OH + y) * OW + xx) * O + o];
          }
  return out;
}

describe('bench/train proposed kernels [wasm]', function () {
  let undo: () => void = () => undefined;
  const shipped: Record<string, tf.KernelFunc | undefined> = {};
  const names = ['BatchMatMul', 'Conv2DBackpropFilter'];
  before(async function () {
    await ready();
    await useBackend('wasm');
    for (const n of names) shipped[n] = tf.getKernel(n, 'wasm')?.kernelFunc;
    undo = installProposedKernels('wasm');
  });
  after(function () {
    undo();
  });

  it('replaces the shipped kernels while installed, and undo puts them back', function () {
    for (const n of names) assert.notStrictEqual(tf.getKernel(n, 'wasm')?.kernelFunc, shipped[n], n);
    undo();
    for (const n of names) assert.strictEqual(tf.getKernel(n, 'wasm')?.kernelFunc, shipped[n], n);
    undo = installProposedKernels('wasm');
  });

  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`BatchMatMul transposeA=${ta} transposeB=${tb} matches loops, no leak`, function () {
      const a = values(12, 1); // stored [3,4] (or [4,3] read transposed)
      const b = values(20, 2); // stored [4,5] (or [5,4])
      const [ar, ac] = ta ? [4, 3] : [3, 4];
      const [br, bc] = tb ? [5, 4] : [4, 5];
      const got = expectNoLeak(() =>
        tf.tidy(() => tf.matMul(tf.tensor2d(a, [ar, ac]), tf.tensor2d(b, [br, bc]), ta, tb).dataSync()),
      );
      expectClose(got, matMulLoop(a, ar, ac, b, bc, ta, tb), 1e-5, 1e-5, 'matMul');
    });
  }

  it('Conv2DBackpropFilter (im2col) matches loops for valid stride 1 and same stride 2', function () {
    for (const [xs, f, s, pad] of [
      [[2, 6, 6, 2], [3, 3, 2, 3], 1, 'valid'],
      [[1, 5, 5, 1], [3, 3, 1, 2], 2, 'same'],
    ] as const) {
      const x = values(xs[0] * xs[1] * xs[2] * xs[3], 3);
      const out = tf.tidy(() => {
        const xt = tf.tensor4d(x, [...xs]);
        const w = tf.tensor4d(values(f[0] * f[1] * f[2] * f[3], 4), [...f]);
        // loss = sum(conv * g) makes dy = g, a known tensor.
        const y = tf.conv2d(xt, w, s, pad);
        const g = tf.tensor(values(y.size, 5), y.shape);
        const dw = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xt, ww as tf.Tensor4D, s, pad), g)))(w);
        return { dw: dw.dataSync(), dy: g.dataSync(), dyShape: y.shape };
      });
      // 'same' with a 3x3 filter and stride 2 on 5x5 pads 1 on top/left (TensorFlow's rule).
      const top = pad === 'same' ? 1 : 0;
      const want = filterGradLoop(x, [...xs], out.dy as Float32Array, out.dyShape, [...f], s, top);
      expectClose(out.dw, want, 1e-4, 1e-4, `dW ${pad}`);
    }
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  });
});

describe('bench/train proposed kernels [cpu]', function () {
  it('UnsortedSegmentSum via gather gradient matches loops', async function () {
    await ready();
    await useBackend('cpu');
    const undo = installProposedKernels('cpu');
    try {
      const x = values(6, 6);
      const idx = [5, 0, 5, 2];
      const got = tf.tidy(() =>
        tf
          .grad((v: tf.Tensor) => tf.sum(tf.gather(v, tf.tensor1d(idx, 'int32'))))(tf.tensor1d(x))
          .dataSync(),
      );
      const want = new Float32Array(6);
      for (const i of idx) want[i] += 1;
      expectClose(got, want, 0, 0, 'dx');
    } finally {
      undo();
      await useBackend('wasm');
    }
  });
});
