/**
 * Sum over the leading axes for wasm (the bias gradient: dy [batch, h, w, c] summed to [c]) as one
 * pass over rows in JavaScript, straight from wasm memory. tfjs-backend-wasm 4.22 first moves the
 * reduced axes last with its Transpose kernel, which is slow for a narrow last axis: summing the
 * small CNN's first conv gradient [256, 26, 26, 32] took about 45 ms, nearly all of it the
 * transpose; the row pass takes a few. Accumulates in float64 (as tfjs's cpu kernel does). Every
 * other case (other axes, all axes, non-float32) goes to the shipped kernel.
 *
 * @example
 * const shipped = tf.getKernel('Sum', 'wasm')!;
 * tf.unregisterKernel('Sum', 'wasm');
 * tf.registerKernel({ ...shipped, kernelFunc: leadingAxesSum(shipped.kernelFunc) });
 * tf.sum(tf.ones([8, 14, 14, 16]), [0, 1, 2]); // [16], one pass
 */
import * as tf from '../../tf';
import { wasmFloat32Inputs } from './io';

export function leadingAxesSum(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = wasmFloat32Inputs(args, ['x']);
    if (!io) return shipped(args);
    const [x] = io.infos;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const k = axes.length;
    // Only a proper leading prefix 0..k-1; the full sum has no transpose to save.
    if (k === 0 || k >= x.shape.length || axes.some((a, i) => a !== i)) return shipped(args);
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(k);
    const cols = rest.reduce((a, b) => a * b, 1);
    const out = io.alloc(keepDims ? [...axes.map(() => 1), ...rest] : rest);
    const xs = io.view(x);
    const acc = new Float64Array(cols);
    let r = 0;
    // Four rows per pass: a quarter of the read-modify-writes of acc.
    for (; r + 4 <= rows; r += 4) {
      const b0 = r * cols;
      const b1 = b0 + cols;
      const b2 = b1 + cols;
      const b3 = b2 + cols;
      for (let c = 0; c < cols; c++) acc[c] += xs[b0 + c] + xs[b1 + c] + xs[b2 + c] + xs[b3 + c];
    }
    for (; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) acc[c] += xs[base + c];
    }
    io.view(out).set(acc);
    return out;
  };
}
