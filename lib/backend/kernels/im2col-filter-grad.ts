/**
 * Conv2DBackpropFilter (the filter gradient of conv2d) for wasm as im2col + one XNNPACK matmul:
 * dW [fh·fw·ci, co] = patchesᵀ [fh·fw·ci, M] · dy [M, co], with M = batch·outH·outW. The
 * transposed patches are written in JavaScript (a copy, no multiply); the sums run in wasm.
 * A direct JavaScript loop over the same sum took about 2.5 s per call for the small CNN's second
 * conv at batch 256; this takes about a tenth of that. Builds patchesᵀ already transposed so the
 * matmul is the plain A·B that XNNPACK handles (see transposing-mat-mul.ts). NCHW and
 * non-float32 inputs go to `fallback`.
 *
 * @example
 * tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
 *   kernelFunc: im2colFilterGrad(bridgeKernel('Conv2DBackpropFilter')) });
 */
import * as tf from '@tensorflow/tfjs';
import { float32Inputs, forEachTap, type Shape4D, windowAttrs } from './io';

export function im2colFilterGrad(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = float32Inputs(args, ['x', 'dy']);
    const attrs = args.attrs ?? {};
    const nhwc = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC' | 'NCHW') === 'channelsLast';
    const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    if (!io || !nhwc || !matMul) return fallback(args);
    const { strides, pad, dimRoundingMode } = windowAttrs(attrs);
    const [x, dy] = io.infos;
    const xs = io.values[0];
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
    const m = info.batchSize * info.outHeight * info.outWidth;
    const kk = fh * fw * ci;
    // patchesT[(tap·ci + i)·M + out] = x[inp, i]; taps over padding stay 0.
    const patchesT = new Float32Array(kk * m);
    forEachTap(info, {
      tap(out, inp, tap) {
        for (let i = 0; i < ci; i++) patchesT[(tap * ci + i) * m + out] = xs[inp * ci + i];
      },
    });
    const backend = io.backend;
    const a: tf.TensorInfo = {
      dataId: backend.write(patchesT, [1, kk, m], 'float32'),
      shape: [1, kk, m],
      dtype: 'float32',
    };
    // dy [b, outH, outW, co] is already [M, co] in memory: same data, another shape.
    const b: tf.TensorInfo = { ...dy, shape: [1, m, co] };
    try {
      const out = matMul({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } });
      return { ...(out as tf.TensorInfo), shape: [fh, fw, ci, co] };
    } finally {
      backend.disposeData(a.dataId);
    }
  };
}
