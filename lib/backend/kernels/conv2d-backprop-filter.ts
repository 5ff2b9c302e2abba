/**
 * Conv2DBackpropFilter (the filter gradient of conv2d) as a direct NHWC loop over typed arrays:
 * dW[r, c, ci, co] = sum over b, y, x of in[b, y*s - top + r, x*s - left + c, ci] * dy[b, y, x, co].
 * The cpu reference does the same sum through TensorBuffer.get (index arithmetic per element),
 * about 100x slower. Accumulates in float64. NCHW and non-float32 inputs go to `fallback`.
 *
 * @example
 * tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
 *   kernelFunc: conv2DBackpropFilterKernel(bridgeKernel('Conv2DBackpropFilter')) });
 */
import * as tf from '@tensorflow/tfjs';
import { float32Inputs, float32Output, forEachTap, type Shape4D, windowAttrs } from './io';

export function conv2DBackpropFilterKernel(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = float32Inputs(args, ['x', 'dy']);
    const attrs = args.attrs ?? {};
    const nhwc = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC' | 'NCHW') === 'channelsLast';
    if (!io || !nhwc) return fallback(args);
    const { strides, pad, dimRoundingMode } = windowAttrs(attrs);
    const x = io.infos[0];
    const [xs, dys] = io.values;
    // Conv2DBackpropFilter has no dilations (tfjs refuses gradients of dilated convolutions).
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4D,
      attrs.filterShape as Shape4D,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { inChannels: ci, outChannels: co, filterHeight: fh, filterWidth: fw } = info;
    const acc = new Float64Array(fh * fw * ci * co);
    forEachTap(info, {
      tap(out, inp, tap) {
        const dyOff = out * co;
        const xOff = inp * ci;
        const wOff = tap * ci * co;
        for (let i = 0; i < ci; i++) {
          const v = xs[xOff + i];
          if (v === 0) continue; // post-relu inputs are often zero
          const w = wOff + i * co;
          for (let o = 0; o < co; o++) acc[w + o] += v * dys[dyOff + o];
        }
      },
    });
    const shape = [fh, fw, ci, co];
    return float32Output(io.backend, Float32Array.from(acc), shape);
  };
}
