/**
 * Backend selection (select.ts) and the library's additions to the tfjs backends: the kernels the wasm backend lacks (or gets
 * wrong, or runs slowly) for training, a faster cpu segment sum, and the bridge that borrows a kernel from another backend.
 *
 * @example
 * registerMissingWasmKernels(); // ['BatchMatMul', 'Conv2DBackpropFilter', ..., 'MaxPoolGrad', ..., 'UnsortedSegmentSum']
 */
export { registerCpuKernels, REPLACED_CPU_KERNELS } from './cpu-kernels';
export { bridgeKernel } from './kernel-bridge';
export {
  FAST_WASM_KERNELS,
  missingKernels,
  registerMissingWasmKernels,
  REPLACED_WASM_KERNELS,
  UNBRIDGED_WASM_KERNELS,
  NATIVE_WASM_KERNELS,
  WRAPPED_WASM_KERNELS,
} from './wasm-kernels';
export { nativeBlasStatus, setNativeBlasEnabled, type NativeBlasStatus } from './native-blas';
export * from './select';
export { isGpuBackend, profileFor, type CourseProfile } from './profile';
export {
  autoWebGpuVerdict,
  describeAdapter,
  gpuDeviceNodes,
  isSoftwareAdapter,
  probeWebGpu,
  WEBGPU_PACKAGES,
  type WebGpuAdapterSummary,
  type WebGpuStatus,
} from './webgpu-adapter';
export { registerMissingWebGpuKernels, REPLACED_WEBGPU_KERNELS, UNBRIDGED_WEBGPU_KERNELS } from './webgpu-kernels';
