/**
 * Conv2DBackpropInput (the input gradient of conv2d) for wasm as one XNNPACK matmul + col2im:
 * cols [M, fh·fw·ci] = dy [M, co] · Wᵀ, with M = batch·outH·outW and W seen as [fh·fw·ci, co];
 * then each output pixel's row of cols is added back onto the input pixels under its window
 * (col2im, a JavaScript pass of additions straight into wasm memory). The mirror image of
 * im2col-filter-grad.ts. tfjs-backend-wasm 4.22's own kernel is a direct loop, about 600 ms per
 * call for the small CNN's second conv at batch 256; this is several times faster. NCHW inputs,
 * non-float32 inputs and backends other than wasm go to `fallback` (the shipped kernel).
 *
 * @example
 * const shipped = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
 * tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
 * tf.registerKernel({ ...shipped, kernelFunc: col2imInputGrad(shipped.kernelFunc) });
 */
import * as tf from '../../tf';
import { convGradInfo, isNhwc, type Shape4D, tapTable, wasmFloat32Inputs } from './io';

export function col2imInputGrad(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = wasmFloat32Inputs(args, ['dy', 'filter']);
    const attrs = args.attrs ?? {};
    const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    if (!io || !isNhwc(attrs) || !matMul) return fallback(args);
    const [dy, filter] = io.infos;
    const inputShape = attrs.inputShape as Shape4D;
    const info = convGradInfo(attrs, inputShape, filter.shape);
    const { inChannels: ci, outChannels: co, filterHeight: fh, filterWidth: fw } = info;
    const m = info.batchSize * info.outHeight * info.outWidth;
    const cols = matMul({
      // dy [b, outH, outW, co] is [M, co] in memory; the filter [fh, fw, ci, co] is [fh·fw·ci, co].
      inputs: { a: { ...dy, shape: [1, m, co] }, b: { ...filter, shape: [1, fh * fw * ci, co] } },
      backend: io.backend,
      attrs: { transposeA: false, transposeB: true },
    }) as tf.TensorInfo;
    try {
      const dx = io.alloc([...inputShape]);
      col2im(info, io.view(cols), io.view(dx));
      return dx;
    } finally {
      io.backend.disposeData(cols.dataId);
    }
  };
}

/** dx[inp·ci + i] = Σ over (out, tap) with inp under the tap of cols[(out·taps + tap)·ci + i]. */
function col2im(info: tf.backend_util.Conv2DInfo, cols: Float32Array, dx: Float32Array): void {
  // One image's table (outH·outW·taps entries) walks that image's rows of cols in memory order.
  const { table } = tapTable(info);
  const ci = info.inChannels;
  const inPixels = info.inHeight * info.inWidth;
  dx.fill(0);
  let src = 0;
  for (let b = 0; b < info.batchSize; b++) {
    const image = b * inPixels;
    for (let t = 0; t < table.length; t++, src += ci) {
      const inp = table[t];
      if (inp < 0) continue;
      const dst = (image + inp) * ci;
      for (let i = 0; i < ci; i++) dx[dst + i] += cols[src + i];
    }
  }
}
