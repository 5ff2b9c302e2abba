/**
 * MaxPoolGrad as a direct NHWC loop: each window's gradient goes to the first position holding
 * the window's maximum (scan order row, then column; the same tie rule as the cpu reference).
 * Replaces tfjs-backend-wasm 4.22's own kernel, which drops the gradient of some windows whose
 * values are negative (an all-negative [1,4,4,1] input gets a gradient in its first window only),
 * so a max pool before a relu would silently train wrong. Non-float32 inputs go to `fallback`.
 *
 * @example
 * tf.unregisterKernel('MaxPoolGrad', 'wasm');
 * tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm',
 *   kernelFunc: maxPoolGradKernel(bridgeKernel('MaxPoolGrad')) });
 */
import * as tf from '@tensorflow/tfjs';
import { float32Inputs, float32Output, forEachTap, type Shape4D, windowAttrs } from './io';

export function maxPoolGradKernel(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = float32Inputs(args, ['dy', 'input']);
    if (!io) return fallback(args);
    const attrs = args.attrs ?? {};
    const { strides, pad, dimRoundingMode } = windowAttrs(attrs);
    const input = io.infos[1];
    const [dys, xs] = io.values;
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
    const ch = info.inChannels;
    const dx = new Float32Array(xs.length);
    const best = new Int32Array(ch);
    const max = new Float64Array(ch);
    forEachTap(info, {
      begin() {
        best.fill(-1);
        max.fill(Number.NEGATIVE_INFINITY);
      },
      tap(_out, inp) {
        for (let d = 0; d < ch; d++) {
          const i = inp * ch + d;
          // Strict '>': the first maximum in scan order wins ties, as in the cpu reference.
          if (xs[i] > max[d]) {
            max[d] = xs[i];
            best[d] = i;
          }
        }
      },
      end(out) {
        // A window of NaNs has no maximum and passes no gradient, as in the cpu reference.
        for (let d = 0; d < ch; d++) if (best[d] >= 0) dx[best[d]] += dys[out * ch + d];
      },
    });
    return float32Output(io.backend, dx, input.shape);
  };
}
