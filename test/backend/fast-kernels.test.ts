/**
 * The kernels that make a training step fast (lib/backend/kernels: the wrapped wasm BatchMatMul,
 * the im2col filter gradient, the one-pass segment sum on cpu) give the cpu backend's numbers or
 * a plain loop's, free what they allocate, and are registered once.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as tf from '../../lib/tf';
import {
  ready,
  registerCpuKernels,
  registerMissingWasmKernels,
  setNativeBlasEnabled,
  useBackend,
} from '../../lib/backend';
import type { Shape4D } from '../../lib/backend/kernels/io';
import { transposingMatMul } from '../../lib/backend/kernels/transposing-mat-mul';
import { Random } from '../../lib/random';
import { expectClose } from '../helpers/backends';
import { expectNoBackendLeak, expectWasmMatchesCpu } from './compare';
import { seededNormal } from './tiny-models';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'metriclab.js');
const FLAGS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Seeded a and b stored so that op(a)·op(b) is [batch.., m, k]·[batch.., k, n]. */
function operands(batch: number[], m: number, k: number, n: number, ta: boolean, tb: boolean): [tf.Tensor, tf.Tensor] {
  const rng = new Random(m * 100 + k * 10 + n);
  const a = seededNormal(rng, [...batch, ...(ta ? [k, m] : [m, k])]);
  const b = seededNormal(rng, [...batch, ...(tb ? [n, k] : [k, n])]);
  return [a, b];
}

describe('fast kernels: wasm BatchMatMul without the transposed path', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });

  it('is registered for wasm and reported once', function () {
    const first = registerMissingWasmKernels();
    assert.ok(first.includes('BatchMatMul'), `BatchMatMul missing from ${first.join(', ')}`);
    const kernel = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    assert.deepEqual(registerMissingWasmKernels(), first);
    assert.equal(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc, kernel, 'a second call wrapped it again');
  });

  for (const [ta, tb] of FLAGS) {
    it(`transposeA=${ta} transposeB=${tb}: equals cpu within 1e-4, rank 2 and batched rank 3`, async function () {
      await expectWasmMatchesCpu(() => {
        const [a, b] = operands([], 37, 19, 23, ta, tb);
        return tf.matMul(a, b, ta, tb);
      });
      await expectWasmMatchesCpu(() => {
        const [a, b] = operands([3], 5, 7, 4, ta, tb);
        return tf.matMul(a, b, ta, tb);
      });
    });
  }

  it('fused matMul with transposeA and a bias equals cpu (the shipped fused kernel alone was wrong)', async function () {
    const was = setNativeBlasEnabled(false); // the XNNPACK path, whether or not the native one is built
    try {
      await expectWasmMatchesCpu(() => {
        const [a, b] = operands([], 7, 5, 3, true, false);
        const bias = tf.tensor1d([0.5, -2, 1]);
        return [
          tf.fused.matMul({ a, b, transposeA: true, bias }),
          tf.fused.matMul({ a, b, transposeA: true, bias, activation: 'elu' }),
        ];
      });
    } finally {
      setNativeBlasEnabled(was);
    }
  });

  it('gradients through a transposed matmul equal cpu (dA = dy·B, dB = dyᵀ·A)', async function () {
    await expectWasmMatchesCpu(() => {
      const [a, b] = operands([], 16, 12, 9, false, true);
      return tf.grads((x, y) => tf.matMul(x, y, false, true).square().sum())([a, b]);
    });
  });

  it('hands the shipped kernel untransposed operands with the flags cleared', function () {
    const seen: { shapes: number[][]; attrs: tf.NamedAttrMap }[] = [];
    // A stand-in for the shipped kernel that records what it was given and returns zeros.
    const wrapped = transposingMatMul((args) => {
      seen.push({ shapes: [args.inputs.a!.shape, args.inputs.b!.shape], attrs: { ...args.attrs } });
      const backend = args.backend as tf.KernelBackend;
      return { dataId: backend.write(new Float32Array(30), [2, 3, 5], 'float32'), shape: [2, 3, 5], dtype: 'float32' };
    });
    const [a, b] = operands([2], 3, 4, 5, true, true); // stored [2,4,3] and [2,5,4]
    const backend = tf.engine().backend;
    const out = expectNoBackendLeak(() => {
      const o = wrapped({ inputs: { a, b }, backend, attrs: { transposeA: true, transposeB: true } }) as tf.TensorInfo;
      backend.disposeData(o.dataId);
      return o;
    });
    tf.dispose([a, b]);
    assert.deepEqual(seen[0].shapes, [
      [2, 3, 4],
      [2, 4, 5],
    ]);
    assert.equal(seen[0].attrs.transposeA, false);
    assert.equal(seen[0].attrs.transposeB, false);
    assert.deepEqual(out.shape, [2, 3, 5]);
  });

  it('frees its transposed copies (no tensor, no wasm data left)', function () {
    const [a, b] = operands([2], 8, 6, 4, true, true);
    for (const [ta, tb] of FLAGS) {
      const aa = ta ? a : tf.transpose(a, [0, 2, 1]);
      const bb = tb ? b : tf.transpose(b, [0, 2, 1]);
      expectNoBackendLeak(() => tf.matMul(aa, bb, ta, tb).dispose());
      if (aa !== a) aa.dispose();
      if (bb !== b) bb.dispose();
    }
    tf.dispose([a, b]);
  });
});

/** dW = runKernel Conv2DBackpropFilter for seeded x and dy (the shape conv2d would give). */
function filterGrad(
  xShape: number[],
  filterShape: number[],
  strides: [number, number],
  pad: 'same' | 'valid' | number,
) {
  return (): tf.Tensor => {
    const rng = new Random(xShape.reduce((a, b) => a * 7 + b, 1));
    const x = seededNormal(rng, xShape) as tf.Tensor4D;
    // The shape from backend_util, not a wasm conv2d: keeps the check to the kernel under test.
    const info = tf.backend_util.computeConv2DInfo(xShape as Shape4D, filterShape as Shape4D, strides, 1, pad);
    const outShape = info.outShape;
    const dy = seededNormal(rng, outShape);
    const attrs: tf.NamedAttrMap = { strides, pad, dataFormat: 'NHWC', filterShape };
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs);
  };
}

describe('fast kernels: wasm Conv2DBackpropFilter as im2col + matmul', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });

  const cases: [number[], number[], [number, number], 'same' | 'valid' | number][] = [
    [[2, 6, 6, 2], [3, 3, 2, 3], [1, 1], 'valid'],
    [[1, 5, 5, 1], [3, 3, 1, 2], [2, 2], 'same'],
    [[3, 9, 7, 4], [2, 3, 4, 5], [2, 1], 'same'],
    [[2, 8, 10, 3], [5, 5, 3, 2], [3, 2], 2],
    [[4, 14, 14, 8], [3, 3, 8, 16], [1, 1], 'same'],
  ];
  for (const [xs, fs, s, pad] of cases) {
    it(`x ${xs.join('x')}, filter ${fs.join('x')}, strides ${s.join(',')}, pad ${pad}: equals cpu within 1e-4`, async function () {
      const out = await expectWasmMatchesCpu(filterGrad(xs, fs, s, pad));
      assert.deepEqual(out.shapes[0], fs);
    });
  }

  it('frees its patch matrix (no tensor, no wasm data left)', function () {
    const x = tf.tidy(() => seededNormal(new Random(3), [2, 6, 6, 2]));
    const dy = tf.tidy(() => seededNormal(new Random(4), [2, 6, 6, 3]));
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] };
    expectNoBackendLeak(() => (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor).dispose());
    tf.dispose([x, dy]);
  });
});

/** dx = runKernel Conv2DBackpropInput for a seeded dy and filter (shapes from backend_util). */
function inputGrad(
  xShape: number[],
  filterShape: number[],
  strides: [number, number],
  pad: 'same' | 'valid' | number,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
) {
  return (): tf.Tensor => {
    const rng = new Random(filterShape.reduce((a, b) => a * 5 + b, 2));
    const format = dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst';
    const info = tf.backend_util.computeConv2DInfo(
      xShape as Shape4D,
      filterShape as Shape4D,
      strides,
      1,
      pad,
      undefined,
      false,
      format,
    );
    const dy = seededNormal(rng, info.outShape);
    const filter = seededNormal(rng, filterShape);
    const attrs: tf.NamedAttrMap = { strides, pad, dataFormat, inputShape: xShape };
    return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs);
  };
}

/** The input gradient of a stride-1 'valid' NHWC conv as a plain loop: dx[y+r, z+c, i] += dy[y, z, o]·W[r, c, i, o]. */
function referenceInputGrad(dy: number[][][][], w: number[][][][], xShape: number[]): Float32Array {
  const [, h, wd, ci] = xShape;
  const out = new Float32Array(xShape.reduce((a, b) => a * b, 1));
  dy.forEach((img, b) =>
    img.forEach((row, y) =>
      row.forEach((px, z) =>
        px.forEach((g, o) => {
          for (let r = 0; r < w.length; r++)
            for (let c = 0; c < w[0].length; c++)
              for (let i = 0; i < ci; i++) out[((b * h + y + r) * wd + z + c) * ci + i] += g * w[r][c][i][o];
        }),
      ),
    ),
  );
  return out;
}

describe('fast kernels: wasm Conv2DBackpropInput as matmul + col2im', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });

  it('wraps the shipped kernel once and is reported', function () {
    assert.ok(registerMissingWasmKernels().includes('Conv2DBackpropInput'));
  });

  const cases: [number[], number[], [number, number], 'same' | 'valid' | number][] = [
    [[2, 6, 6, 2], [3, 3, 2, 3], [1, 1], 'valid'],
    [[1, 5, 5, 1], [3, 3, 1, 2], [2, 2], 'same'],
    [[3, 9, 7, 4], [2, 3, 4, 5], [2, 1], 'same'],
    [[2, 8, 10, 3], [5, 5, 3, 2], [3, 2], 2],
    [[4, 13, 13, 8], [3, 3, 8, 16], [1, 1], 'valid'],
  ];
  for (const [xs, fs, s, pad] of cases) {
    it(`x ${xs.join('x')}, filter ${fs.join('x')}, strides ${s.join(',')}, pad ${pad}: equals cpu within 1e-4`, async function () {
      const out = await expectWasmMatchesCpu(inputGrad(xs, fs, s, pad));
      assert.deepEqual(out.shapes[0], xs);
    });
  }

  it('equals a plain-loop reference on a tiny input', async function () {
    await useBackend('wasm');
    tf.tidy(() => {
      const rng = new Random(12);
      const dy = seededNormal(rng, [2, 3, 4, 3]);
      const w = seededNormal(rng, [2, 2, 2, 3]);
      const dx = tf
        .engine()
        .runKernel(
          'Conv2DBackpropInput',
          { dy, filter: w },
          { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 4, 5, 2] },
        ) as tf.Tensor;
      const want = referenceInputGrad(dy.arraySync() as number[][][][], w.arraySync() as number[][][][], [2, 4, 5, 2]);
      expectClose(dx.dataSync(), want, 1e-5, 1e-5, 'dx');
    });
  });

  it('NCHW (not covered) falls back to the shipped kernel and still equals cpu', async function () {
    await expectWasmMatchesCpu(inputGrad([2, 3, 6, 6], [3, 3, 3, 4], [1, 1], 'same', 'NCHW'));
  });

  it('frees its column matrix (no tensor, no wasm data left)', function () {
    const run = inputGrad([2, 6, 6, 2], [3, 3, 2, 3], [1, 1], 'same');
    expectNoBackendLeak(() => tf.tidy(() => void run()));
  });
});

describe('fast kernels: wasm MaxPoolGrad on the heap', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });

  const cases: [number[], number, number, 'same' | 'valid'][] = [
    [[2, 9, 7, 3], 3, 1, 'same'],
    [[1, 10, 10, 4], 3, 2, 'valid'],
    [[2, 26, 26, 8], 2, 2, 'valid'],
  ];
  for (const [xs, size, stride, pad] of cases) {
    it(`x ${xs.join('x')}, window ${size}, stride ${stride}, pad ${pad}: equals cpu`, async function () {
      await expectWasmMatchesCpu(() => {
        const x = seededNormal(new Random(xs[1]), xs) as tf.Tensor4D;
        return tf.grad((a) =>
          tf
            .maxPool(a as tf.Tensor4D, size, stride, pad)
            .square()
            .sum(),
        )(x);
      });
    });
  }

  it('leaves no tensor or wasm data behind', function () {
    const x = tf.tidy(() => seededNormal(new Random(9), [2, 6, 6, 3]) as tf.Tensor4D);
    expectNoBackendLeak(() => tf.tidy(() => void tf.grad((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'same').sum())(x)));
    x.dispose();
  });
});

describe('fast kernels: wasm Sum over leading axes in one pass', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });

  const cases: [number[], number | number[], boolean][] = [
    [[7, 5, 3, 6], [0, 1, 2], false],
    [[7, 5, 3, 6], [2, 0, 1], true],
    [[9, 4], 0, false],
    [[3, 5, 2], [0, 1], true],
    [[6, 5, 4], [-3], false],
    // Not a leading prefix, or every axis: the shipped kernel.
    [[6, 5, 4], [1, 2], false],
    [[6, 5, 4], [0, 2], true],
    [[6, 5, 4], [0, 1, 2], false],
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`x ${shape.join('x')}, axis ${JSON.stringify(axis)}, keepDims ${keepDims}: equals cpu`, async function () {
      await expectWasmMatchesCpu(() => tf.sum(seededNormal(new Random(shape.length), shape), axis, keepDims));
    });
  }

  it('int32 goes to the shipped kernel (by hand), and nothing is left behind', function () {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const got = expectNoBackendLeak(() => tf.tidy(() => Array.from(tf.sum(x, 0).dataSync())));
    assert.deepEqual(got, [9, 12]);
    const f = tf.tidy(() => seededNormal(new Random(4), [5, 3, 2]));
    expectNoBackendLeak(() => tf.sum(f, [0, 1]).dispose());
    tf.dispose([x, f]);
  });
});

describe('fast kernels: cpu UnsortedSegmentSum in one pass', function () {
  before(async function () {
    await ready();
    await useBackend('cpu');
  });
  after(async function () {
    await useBackend('wasm');
  });

  it('useBackend("cpu") registers it once', async function () {
    assert.deepEqual(registerCpuKernels(), ['UnsortedSegmentSum']);
    const kernel = tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc;
    await useBackend('cpu');
    assert.deepEqual(registerCpuKernels(), ['UnsortedSegmentSum']);
    assert.equal(tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc, kernel, 'wrapped twice');
  });

  it('the gradient of gather over rows sums the upstream rows per index (plain loop), no leak', function () {
    const idx = [5, 0, 5, 2, 5, 1];
    const rng = new Random(6);
    const up = Float32Array.from({ length: idx.length * 3 }, () => rng.normal());
    const got = expectNoBackendLeak(() =>
      tf.tidy(() => {
        const w = tf.tensor1d(Array.from(up), 'float32').reshape([idx.length, 3]);
        const f = (v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, tf.tensor1d(idx, 'int32')), w));
        return tf
          .grad(f)(tf.zeros([7, 3]))
          .dataSync();
      }),
    );
    const want = new Float32Array(7 * 3);
    idx.forEach((row, i) => {
      for (let j = 0; j < 3; j++) want[row * 3 + j] += up[i * 3 + j];
    });
    expectClose(got, want, 1e-6, 1e-6, 'dx');
  });

  it('int32 data falls back to the tfjs kernel and still sums correctly (by hand)', function () {
    const got = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 0, 1, 3], 'int32'), 4).dataSync(),
    );
    assert.deepEqual(Array.from(got), [2, 4, 0, 4]);
  });

  it('`metriclab info` on cpu lists it under the kernels added', function () {
    const out = execFileSync('node', [BIN, 'info'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'cpu' },
    });
    assert.match(out, /kernels added:\s+UnsortedSegmentSum/);
  });
});

describe('fast kernels: wasm GatherV2 as slice copies', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
  });

  it('equals cpu for rows, columns, inner axes and batchDims, with repeated indices', async function () {
    await expectWasmMatchesCpu(
      () => {
        const rng = new Random(4);
        const x = seededNormal(rng, [5, 4, 3]);
        return [
          tf.gather(x, [4, 0, 0, 2]), // rows, repeated
          tf.gather(x, [3, 1], 1),
          tf.gather(
            x,
            tf.tensor2d(
              [
                [2, 0],
                [1, 1],
              ],
              [2, 2],
              'int32',
            ),
            2,
          ),
          tf.gather(
            seededNormal(rng, [2, 6, 3]),
            tf.tensor2d(
              [
                [5, 0, 1],
                [2, 2, 4],
              ],
              [2, 3],
              'int32',
            ),
            1,
            1,
          ),
          tf.gather(x, tf.tensor1d([], 'int32')),
        ];
      },
      0,
      0,
    );
  });

  it('refuses an index out of range, naming it', function () {
    const x = tf.ones([3, 2]);
    assert.throws(() => tf.gather(x, [1, 3]), /index value 3 is not in \[0, 2\]/);
    x.dispose();
  });
});
