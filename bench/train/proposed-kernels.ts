/**
 * Proposed kernel fixes measured by the benchmark, not yet part of the library (they belong in
 * lib/backend/; see the bench report), so RESULTS.md can show before and after.
 *
 * 1. wasm BatchMatMul. tfjs-backend-wasm 4.22 runs BatchMatMul through
 * XNNPACK only when neither operand is transposed; with transposeA or transposeB it takes a naive
 * loop about 10× slower. Every matmul gradient (dA = dy·Bᵀ, dB = Aᵀ·dy) and every pairwise
 * distance (A·Bᵀ) is transposed, so a training step spends most of its time there. This wrapper
 * transposes the operand explicitly (wasm's Transpose kernel is a fast copy) and calls the
 * original kernel untransposed.
 *
 * 2. wasm Conv2DBackpropFilter. The library's direct kernel is a JavaScript loop (about 2.8 s
 * per call for the CNN's second conv at batch 256). As im2col + one XNNPACK matmul it is
 * dW [fh·fw·ci, co] = patchesᵀ [fh·fw·ci, M] · dy [M, co] with M = batch·outH·outW: the
 * transposed patches are written in JavaScript (a copy, no multiply), the sums run in wasm.
 *
 * 3. cpu UnsortedSegmentSum (the gradient of gather). tfjs-backend-cpu builds one equality mask
 * per segment; the triplet loss gathers from the flattened [N·N] distance matrix, so N² = 65,536
 * segments take about 14 s per step at batch 256. The library already has a one-pass kernel
 * for wasm (lib/backend/kernels/unsorted-segment-sum.ts); it works on any backend that can read
 * and write its tensors, so the proposal registers it for cpu too.
 *
 * @example
 * await useBackend('wasm');
 * const undo = installProposedKernels('wasm'); // wraps the registered wasm BatchMatMul
 * tf.matMul(a, b, false, true);          // now transpose + XNNPACK
 * undo();                                // back to the kernel tfjs registered
 */
import * as tf from '@tensorflow/tfjs';
import { float32Inputs, forEachTap, type Shape4D, windowAttrs } from '../../lib/backend/kernels/io';
import { unsortedSegmentSumKernel } from '../../lib/backend/kernels/unsorted-segment-sum';

/** The wrapped kernel: transposes whichever operand is flagged, then calls `original` plainly. */
export function transposingMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
    const { a, b } = args.inputs;
    if ((!transposeA && !transposeB) || !transpose || !a || !b) return original(args);
    const backend = args.backend as tf.KernelBackend;
    const made: tf.TensorInfo[] = [];
    const plain = (x: tf.TensorInfo, flag: boolean | undefined): tf.TensorInfo => {
      if (!flag) return x;
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      const t = transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      made.push(t);
      return t;
    };
    try {
      const inputs = { a: plain(a, transposeA), b: plain(b, transposeB) };
      return original({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Conv2DBackpropFilter as im2col + matmul on wasm (NHWC float32; anything else to `original`).
 *
 * @example
 * tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
 *   kernelFunc: im2colFilterGrad(previous) });
 */
export function im2colFilterGrad(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = float32Inputs(args, ['x', 'dy']);
    const attrs = args.attrs ?? {};
    const nhwc = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC' | 'NCHW') === 'channelsLast';
    const matMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    if (!io || !nhwc || !matMul) return original(args);
    const { strides, pad, dimRoundingMode } = windowAttrs(attrs);
    const [x, dy] = io.infos;
    const xs = io.values[0];
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
    const b: tf.TensorInfo = { ...dy, shape: [1, m, co] };
    try {
      const out = matMul({
        inputs: { a, b },
        backend,
        attrs: { transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      return { ...out, shape: [fh, fw, ci, co] };
    } finally {
      backend.disposeData(a.dataId);
    }
  };
}

/** Swaps one registered kernel for `wrap(original)`; returns the undo. */
function replaceKernel(name: string, backend: string, wrap: (original: tf.KernelFunc) => tf.KernelFunc): () => void {
  const config = tf.getKernel(name, backend);
  if (!config)
    throw new Error(`Error in installProposedKernels: ${name} must be registered for ${backend}, but got none`);
  tf.unregisterKernel(name, backend);
  // setupFunc already ran when the backend started; running it again is not needed.
  tf.registerKernel({ ...config, kernelFunc: wrap(config.kernelFunc), setupFunc: undefined });
  return () => {
    tf.unregisterKernel(name, backend);
    tf.registerKernel({ ...config, setupFunc: undefined });
  };
}

/**
 * Installs the proposed kernels for `backend` (wasm: BatchMatMul, Conv2DBackpropFilter; cpu:
 * UnsortedSegmentSum) and returns a function that puts the original kernels back. Needs that
 * backend initialised.
 */
export function installProposedKernels(backend: 'wasm' | 'cpu'): () => void {
  if (backend === 'cpu') return replaceKernel('UnsortedSegmentSum', 'cpu', unsortedSegmentSumKernel);
  const undo = [
    replaceKernel('BatchMatMul', 'wasm', transposingMatMul),
    replaceKernel('Conv2DBackpropFilter', 'wasm', im2colFilterGrad),
  ];
  return () => undo.reverse().forEach((u) => u());
}
