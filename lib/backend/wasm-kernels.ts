/**
 * Kernels the tfjs wasm backend lacks but training needs: UnsortedSegmentSum (the gradient of
 * gather), Conv2DBackpropFilter (the filter gradient of conv2d), the depthwise conv gradients,
 * Einsum and the Ragged* ops. Each is registered for 'wasm' as a bridge to the cpu backend's
 * kernel (see kernel-bridge.ts): correct by construction, but it copies its inputs and outputs
 * across the two backends and runs in plain JavaScript. The two on the training hot path have
 * faster implementations instead (the cpu ones take seconds per step; see FAST_WASM_KERNELS),
 * which fall back to the bridge for cases they do not cover. One kernel wasm does have,
 * MaxPoolGrad, gives wrong gradients in tfjs 4.22 and is replaced (REPLACED_WASM_KERNELS); one is
 * right but slow in a common case, BatchMatMul (and _FusedMatMul) with a transposed operand, and is wrapped
 * (WRAPPED_WASM_KERNELS); so are Conv2DBackpropInput, a direct loop that a matmul + col2im beats,
 * Sum over leading axes (bias gradients), which transposes first, and GatherV2, which computes
 * every element's source where slices can be copied whole.
 *
 * Called by select.ts whenever the wasm backend is selected.
 *
 * @example
 * import * as tf from 'metriclab/tf';
 * import '@tensorflow/tfjs-backend-wasm';
 * await tf.setBackend('wasm');
 * registerMissingWasmKernels(); // ['BatchMatMul', 'Conv2DBackpropFilter', ..., 'UnsortedSegmentSum']
 * registerMissingWasmKernels(); // the same list; nothing is registered twice
 */
import * as tf from '../tf';
import { bridgeKernel } from './kernel-bridge';
import { col2imInputGrad } from './kernels/col2im-input-grad';
import { im2colFilterGrad } from './kernels/im2col-filter-grad';
import { leadingAxesSum } from './kernels/leading-axes-sum';
import { maxPoolGradKernel } from './kernels/max-pool-grad';
import { nativeFusedMatMul, nativeMatMul } from './kernels/native-mat-mul';
import { nativeBlasStatus } from './native-blas';
import { sliceGather } from './kernels/slice-gather';
import { transposingMatMul } from './kernels/transposing-mat-mul';
import { unsortedSegmentSumKernel } from './kernels/unsorted-segment-sum';

/** Kernels with a faster implementation; each gets the cpu bridge as its fallback. */
export const FAST_WASM_KERNELS: Readonly<Record<string, (fallback: tf.KernelFunc) => tf.KernelFunc>> = {
  UnsortedSegmentSum: unsortedSegmentSumKernel,
  Conv2DBackpropFilter: im2colFilterGrad,
};

/**
 * wasm kernels that tfjs does register but that give wrong results, replaced the same way
 * (direct implementation, cpu bridge as fallback). See each file for the defect.
 */
export const REPLACED_WASM_KERNELS: Readonly<Record<string, (fallback: tf.KernelFunc) => tf.KernelFunc>> = {
  MaxPoolGrad: maxPoolGradKernel,
};

/**
 * Shipped wasm kernels wrapped around themselves: each wrapper gets tfjs's wasm kernel as the one
 * it calls, or falls back to, for the cases it does not cover (see each file for why).
 */
export const WRAPPED_WASM_KERNELS: Readonly<Record<string, (shipped: tf.KernelFunc) => tf.KernelFunc>> = {
  BatchMatMul: transposingMatMul,
  _FusedMatMul: transposingMatMul,
  Conv2DBackpropInput: col2imInputGrad,
  Sum: leadingAxesSum,
  GatherV2: sliceGather,
};

/** Matmul kernels run by the native sgemm when it is built (../native-blas.ts), wrapped last. */
export const NATIVE_WASM_KERNELS: Readonly<Record<string, (next: tf.KernelFunc) => tf.KernelFunc>> = {
  BatchMatMul: nativeMatMul,
  _FusedMatMul: nativeFusedMatMul,
};

/**
 * cpu kernels that are not bridged, and why. The complex ones keep their data as a pair of
 * float tensors inside the cpu backend, which the wasm backend has no dtype for (it has no
 * Complex kernel either, so no wasm tensor could ever feed them). Draw paints onto a canvas.
 */
export const UNBRIDGED_WASM_KERNELS: Readonly<Record<string, string>> = {
  Complex: 'complex64 has no storage on wasm',
  ComplexAbs: 'complex64 has no storage on wasm',
  FFT: 'complex64 has no storage on wasm',
  IFFT: 'complex64 has no storage on wasm',
  Real: 'complex64 has no storage on wasm',
  Imag: 'complex64 has no storage on wasm',
  Draw: 'needs a browser canvas',
};

/**
 * Kernel names registered for `reference` but not for `target`, sorted.
 *
 * @example
 * missingKernels('wasm'); // ['Complex', 'ComplexAbs', 'Conv2DBackpropFilter', ...]
 */
export function missingKernels(target: string, reference = 'cpu'): string[] {
  const have = new Set(tf.getKernelsForBackend(target).map((k) => k.kernelName));
  return tf
    .getKernelsForBackend(reference)
    .map((k) => k.kernelName)
    .filter((name) => !have.has(name))
    .sort();
}

// Module-level so a second call (useBackend('wasm') again) reports what the first one did.
let registered: string[] | null = null;

/**
 * Registers a cpu-bridged wasm kernel for every kernel the cpu backend has and wasm lacks
 * (except UNBRIDGED_WASM_KERNELS), replaces the broken REPLACED_WASM_KERNELS and wraps
 * WRAPPED_WASM_KERNELS. Idempotent: returns the names registered by the first call, every time. Needs '@tensorflow/tfjs-backend-wasm' imported first (its import registers the
 * native wasm kernels, which must not be shadowed).
 */
export function registerMissingWasmKernels(): string[] {
  if (registered) return [...registered];
  if (tf.getKernelsForBackend('wasm').length === 0) {
    throw new Error(
      "Error in registerMissingWasmKernels: import '@tensorflow/tfjs-backend-wasm' first (no wasm kernels are registered)",
    );
  }
  const added = missingKernels('wasm').filter((name) => !(name in UNBRIDGED_WASM_KERNELS));
  const replaced = Object.keys(REPLACED_WASM_KERNELS);
  for (const kernelName of replaced) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
  }
  const names = [...added, ...replaced].sort();
  for (const kernelName of names) {
    const bridged = bridgeKernel(kernelName, 'cpu');
    const direct = FAST_WASM_KERNELS[kernelName] ?? REPLACED_WASM_KERNELS[kernelName];
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: direct ? direct(bridged) : bridged });
  }
  for (const [kernelName, wrap] of Object.entries(WRAPPED_WASM_KERNELS)) {
    const shipped = tf.getKernel(kernelName, 'wasm');
    if (!shipped) continue; // nothing to speed up; tfjs's dispatch reports the missing kernel
    tf.unregisterKernel(kernelName, 'wasm');
    // setupFunc stays: it binds the native function, and a re-initialised backend needs it again.
    tf.registerKernel({ ...shipped, kernelFunc: wrap(shipped.kernelFunc) });
    names.push(kernelName);
  }
  // The optional native sgemm goes in front of the matmul kernels (each falls back to the one it wraps).
  if (nativeBlasStatus().loaded) {
    for (const [kernelName, wrap] of Object.entries(NATIVE_WASM_KERNELS)) {
      const current = tf.getKernel(kernelName, 'wasm');
      if (!current) continue;
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({ ...current, kernelFunc: wrap(current.kernelFunc) });
      if (!names.includes(kernelName)) names.push(kernelName);
    }
  }
  names.sort();
  registered = names;
  return [...names];
}
