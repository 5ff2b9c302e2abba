/**
 * Kernels tfjs-backend-webgpu (4.22) lacks, registered for 'webgpu' as bridges to the cpu
 * backend's reference kernels (kernel-bridge.ts), the way wasm-kernels.ts does for wasm. None of
 * them is on the training hot path (Unique, the Ragged and Sparse ops, the string ops, BitwiseAnd,
 * NonMaxSuppressionV4), so the copy to and from the GPU costs nothing that matters. One shipped
 * kernel is replaced because it is not accurate enough: Acos (see webgpu-acos.ts).
 *
 * @example
 * import * as tf from 'metriclab/tf';
 * await tf.setBackend('webgpu'); // after startWebGpu() loaded Dawn and the backend package
 * registerMissingWebGpuKernels(webgpu_util); // ['Acos', 'BitwiseAnd', 'NonMaxSuppressionV4', ..., 'Unique']
 */
import * as tf from '../tf';
import { bridgeKernel } from './kernel-bridge';
import { missingKernels } from './wasm-kernels';
import { accurateAcos, type WebGpuDispatchUtil } from './webgpu-acos';

/** Shipped webgpu kernels replaced by the library's own (see each file for why). */
export const REPLACED_WEBGPU_KERNELS: Readonly<Record<string, (util: WebGpuDispatchUtil) => tf.KernelFunc>> = {
  Acos: accurateAcos,
};

/** cpu kernels not bridged to webgpu, and why (none of them stores a tensor webgpu can hold). */
export const UNBRIDGED_WEBGPU_KERNELS: Readonly<Record<string, string>> = {
  Draw: 'needs a browser canvas',
};

let registered: string[] | null = null;

/**
 * Registers a cpu-bridged webgpu kernel for every kernel the cpu backend has and webgpu lacks
 * (except UNBRIDGED_WEBGPU_KERNELS) and replaces REPLACED_WEBGPU_KERNELS, which need the
 * package's webgpu_util. Idempotent: returns the first call's list every time. Needs
 * '@tensorflow/tfjs-backend-webgpu' loaded first (its kernels must not be shadowed).
 */
export function registerMissingWebGpuKernels(util: WebGpuDispatchUtil): string[] {
  if (registered) return [...registered];
  if (tf.getKernelsForBackend('webgpu').length === 0) {
    throw new Error(
      "Error in registerMissingWebGpuKernels: load '@tensorflow/tfjs-backend-webgpu' first (no webgpu kernels are registered)",
    );
  }
  const names = missingKernels('webgpu').filter((name) => !(name in UNBRIDGED_WEBGPU_KERNELS));
  for (const kernelName of names) {
    tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc: bridgeKernel(kernelName, 'cpu') });
  }
  for (const [kernelName, make] of Object.entries(REPLACED_WEBGPU_KERNELS)) {
    if (tf.getKernel(kernelName, 'webgpu')) tf.unregisterKernel(kernelName, 'webgpu');
    tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc: make(util) });
    names.push(kernelName);
  }
  names.sort();
  registered = names;
  return [...names];
}
