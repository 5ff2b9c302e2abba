/**
 * BatchMatMul and _FusedMatMul for wasm through the native sgemm (see ../native-blas.ts): the
 * operands are read and the product written in place in wasm memory, transposes are sgemm's own
 * flags. OpenBLAS with FMA and wide vectors is several times XNNPACK inside wasm (128-bit SIMD, no
 * FMA): the 1024 x 128 x 1024 product of a distance matrix took 20 ms there. Each wrapper falls
 * back to the kernel it wraps when the native module is off, an input is not float32 on the wasm
 * heap, batch dimensions need a general broadcast, or (fused) the activation is not linear or relu.
 *
 * @example
 * const shipped = tf.getKernel('BatchMatMul', 'wasm')!;
 * tf.unregisterKernel('BatchMatMul', 'wasm');
 * tf.registerKernel({ ...shipped, kernelFunc: nativeMatMul(shipped.kernelFunc) });
 */
import * as tf from '../../tf';
import { nativeBlas } from '../native-blas';
import { wasmFloat32Inputs, type HeapIO } from './io';

interface Product {
  io: HeapIO;
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  out: tf.TensorInfo;
  /** Rows and columns of the result, and the inner dimension. */
  m: number;
  n: number;
  k: number;
}

const product = (shape: number[]): number => shape.reduce((x, y) => x * y, 1);

/** How many products went to sgemm in this process (tests check that the native path really ran). */
export const nativeMatMulCalls = { count: 0 };

/** Runs op(a) op(b) natively into a new output; null when the native path does not cover it. */
function nativeProduct(args: Parameters<tf.KernelFunc>[0], names: ['a', 'b']): Product | null {
  const blas = nativeBlas();
  if (!blas) return null;
  const io = wasmFloat32Inputs(args, names);
  if (!io) return null;
  const [a, b] = io.infos;
  if (a.shape.length < 2 || b.shape.length < 2) return null;
  const { transposeA = false, transposeB = false } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [k2, n] = transposeB ? [bc, br] : [br, bc];
  if (k !== k2) return null; // the shipped kernel reports the shape error
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [na, nb] = [product(batchA), product(batchB)];
  const sameBatch = batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i]);
  // One side's single matrix broadcast over the other's batch (stride 0), or equal batches; any
  // other broadcast of batch dimensions is left to the wrapped kernel.
  if (!(na === 1 || nb === 1 || sameBatch)) return null;
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(batchA, batchB);
  const batch = product(batchShape);
  const out = io.alloc([...batchShape, m, n]); // allocate before taking views: it can move the heap
  if (m * n > 0) {
    const [av, bv, ov] = [io.view(a), io.view(b), io.view(out)];
    if (k === 0) ov.fill(0);
    else {
      nativeMatMulCalls.count++;
      blas.sgemm(transposeA, transposeB, batch, m, n, k, av, na === 1 ? 0 : m * k, bv, nb === 1 ? 0 : k * n, ov, m * n);
    }
  }
  return { io, a, b, out, m, n, k };
}

export function nativeMatMul(next: tf.KernelFunc): tf.KernelFunc {
  return (args) => nativeProduct(args, ['a', 'b'])?.out ?? next(args);
}

/**
 * tfjs-layers' Dense runs _FusedMatMul: the product, then a bias broadcast along the last axis (or
 * a scalar) and a linear or relu activation, applied here in one pass over the output.
 */
export function nativeFusedMatMul(next: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { activation = 'linear' } = args.attrs as { activation?: string };
    const bias = args.inputs.bias;
    if (args.inputs.preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return next(args);
    if (bias && (bias.dtype !== 'float32' || !(product(bias.shape) === 1 || bias.shape.length === 1)))
      return next(args);
    if (!nativeBlas() || !wasmFloat32Inputs(args, ['a', 'b'])) return next(args);
    const done = nativeProduct(args, ['a', 'b']);
    if (!done) return next(args);
    if (bias && product(bias.shape) !== 1 && bias.shape[0] !== done.n) {
      done.io.backend.disposeData(done.out.dataId);
      return next(args);
    }
    const ov = done.io.view(done.out);
    const bv = bias ? done.io.view(bias) : null;
    const relu = activation === 'relu';
    const { n } = done;
    const scalarBias = bv && bv.length === 1;
    for (let base = 0; base < ov.length; base += n) {
      for (let j = 0; j < n; j++) {
        let v = ov[base + j] + (bv ? bv[scalarBias ? 0 : j] : 0);
        if (relu && v < 0) v = 0;
        ov[base + j] = v;
      }
    }
    return done.out;
  };
}
