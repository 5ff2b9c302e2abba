/**
 * Conv2DBackpropFilter (the filter gradient of conv2d) for wasm as im2col + one XNNPACK matmul:
 * dWᵀ [co, fh·fw·ci] = dyᵀ · patches [M, fh·fw·ci], with M = batch·outH·outW, then a transpose
 * of the small result. The patches are copied in JavaScript straight into wasm memory, one
 * contiguous run of ci values per tap (a copy, no multiply); the sums run in XNNPACK. A direct
 * JavaScript loop over the same sum took about 2.5 s per call for the small CNN's second conv at
 * batch 256. dyᵀ comes from the BatchMatMul wrapper (transposing-mat-mul.ts).
 * NCHW inputs, non-float32 inputs and backends other than wasm go to `fallback`.
 *
 * @example
 * import { bridgeKernel } from '../kernel-bridge';
 * tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
 *   kernelFunc: im2colFilterGrad(bridgeKernel('Conv2DBackpropFilter')) });
 */
import * as tf from '../../tf';
import { convGradInfo, isNhwc, tapTable, wasmFloat32Inputs } from './io';

export function im2colFilterGrad(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = wasmFloat32Inputs(args, ['x', 'dy']);
    const attrs = args.attrs ?? {};
    const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
    if (!io || !isNhwc(attrs) || !matMul || !transpose) return fallback(args);
    const [x, dy] = io.infos;
    const info = convGradInfo(attrs, x.shape, attrs.filterShape as number[]);
    const { inChannels: ci, outChannels: co, filterHeight: fh, filterWidth: fw } = info;
    const m = info.batchSize * info.outHeight * info.outWidth;
    const kk = fh * fw * ci;
    const patches = io.alloc([1, m, kk]);
    im2col(info, io.view(x), io.view(patches));
    // dy [b, outH, outW, co] is already [M, co] in memory: same data, another shape.
    const dyM: tf.TensorInfo = { ...dy, shape: [1, m, co] };
    const backend = io.backend;
    const matMulT = (a: tf.TensorInfo, b: tf.TensorInfo) =>
      matMul({ inputs: { a, b }, backend, attrs: { transposeA: true, transposeB: false } }) as tf.TensorInfo;
    let dwT: tf.TensorInfo | null = null;
    try {
      // dyᵀ · patches, not patchesᵀ · dy: XNNPACK packs the right operand anew for every new
      // tensor, and packing [M, co] with co = 32 or 64 costs several times more than packing the
      // patches (0.2 s against 13 ms for the first conv of the small CNN, batch 256).
      dwT = matMulT(dyM, patches);
      const dw = transpose({ inputs: { x: dwT }, backend, attrs: { perm: [0, 2, 1] } }) as tf.TensorInfo;
      return { ...dw, shape: [fh, fw, ci, co] };
    } finally {
      backend.disposeData(patches.dataId);
      if (dwT) backend.disposeData(dwT.dataId);
    }
  };
}

/** patches[(out·taps + tap)·ci + i] = x[inp·ci + i] for the input pixel under the tap, 0 over padding. */
function im2col(info: tf.backend_util.Conv2DInfo, xs: Float32Array, patches: Float32Array): void {
  // One image's table (outH·outW·taps entries) walks that image's patches in memory order.
  const { table } = tapTable(info);
  const ci = info.inChannels;
  const inPixels = info.inHeight * info.inWidth;
  let dst = 0;
  for (let b = 0; b < info.batchSize; b++) {
    const image = b * inPixels;
    for (let t = 0; t < table.length; t++, dst += ci) {
      const inp = table[t];
      if (inp < 0) {
        patches.fill(0, dst, dst + ci);
        continue;
      }
      const src = (image + inp) * ci;
      for (let i = 0; i < ci; i++) patches[dst + i] = xs[src + i];
    }
  }
}
