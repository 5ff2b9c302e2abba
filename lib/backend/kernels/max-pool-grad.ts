/**
 * MaxPoolGrad as a direct NHWC loop: each window's gradient goes to the first position holding
 * the window's maximum (scan order row, then column; the same tie rule as the cpu reference).
 * Replaces tfjs-backend-wasm 4.22's own kernel, which drops the gradient of some windows whose
 * values are negative (an all-negative [1,4,4,1] input gets a gradient in its first window only),
 * so a max pool before a relu would silently train wrong. Non-float32 inputs and backends other than
 * wasm go to `fallback`.
 *
 * @example
 * import { bridgeKernel } from '../kernel-bridge';
 * tf.unregisterKernel('MaxPoolGrad', 'wasm');
 * tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm',
 *   kernelFunc: maxPoolGradKernel(bridgeKernel('MaxPoolGrad')) });
 */
import * as tf from '../../tf';
import { type Shape4D, tapTable, wasmFloat32Inputs, windowAttrs } from './io';

export function maxPoolGradKernel(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = wasmFloat32Inputs(args, ['dy', 'input']);
    if (!io) return fallback(args);
    const attrs = args.attrs ?? {};
    const { strides, pad, dimRoundingMode } = windowAttrs(attrs);
    const [dy, input] = io.infos;
    const filterSize = attrs.filterSize as number | [number, number];
    // MaxPoolGrad has no dilations.
    const info = tf.backend_util.computePool2DInfo(
      input.shape as Shape4D,
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const dx = io.alloc(input.shape);
    routeToMax(info, io.view(input), io.view(dy), io.view(dx));
    return dx;
  };
}

/** dx[argmax of each window and channel] += dy[window, channel]; every other dx is 0. */
function routeToMax(info: tf.backend_util.Conv2DInfo, xs: Float32Array, dys: Float32Array, dx: Float32Array): void {
  const { table, taps } = tapTable(info);
  const ch = info.inChannels;
  const inPixels = info.inHeight * info.inWidth;
  const outPixels = info.outHeight * info.outWidth;
  dx.fill(0);
  for (let b = 0; b < info.batchSize; b++) {
    const image = b * inPixels;
    for (let p = 0; p < outPixels; p++) {
      const dyRow = (b * outPixels + p) * ch;
      for (let d = 0; d < ch; d++) {
        let best = -1;
        let max = Number.NEGATIVE_INFINITY;
        for (let t = p * taps; t < (p + 1) * taps; t++) {
          const inp = table[t];
          if (inp < 0) continue;
          const i = (image + inp) * ch + d;
          // Strict '>': the first maximum in scan order wins ties, as in the cpu reference.
          if (xs[i] > max) {
            max = xs[i];
            best = i;
          }
        }
        // A window of NaNs has no maximum and passes no gradient, as in the cpu reference.
        if (best >= 0) dx[best] += dys[dyRow + d];
      }
    }
  }
}
