/**
 * Whether the compute backend is a GPU, and the course profile that follows from it: a GPU runs
 * the full profile (full datasets, the CNN), anything else the quick one. Notebooks call
 * profileFor() for their default; `metriclab course` uses it when no --profile is given.
 *
 * @example
 * import { ready, profileFor } from 'metriclab';
 * const info = await ready();
 * let profile: 'quick' | 'full' = profileFor(info); // 'full' on tensorflow-gpu or a hardware WebGPU adapter
 */
import { isGpuInfo, type BackendLike } from './gpu';
import { backendInfo } from './select';

export type CourseProfile = 'quick' | 'full';

/**
 * True for tensorflow-gpu (CUDA) and for webgpu on a hardware adapter; false for webgpu on a
 * software adapter (llvmpipe, SwiftShader: a CPU pretending), wasm, cpu and tensorflow. A bare
 * 'webgpu' name is judged by the adapter this process selected. Defaults to the selected backend.
 *
 * @example
 * isGpuBackend('tensorflow-gpu'); // true
 * const llvmpipe = { vendor: 'mesa', architecture: '', device: 'llvmpipe', description: '', software: true };
 * isGpuBackend({ backend: 'webgpu', webgpu: { dawnPackage: null, tfjsPackage: null, adapter: llvmpipe, problem: null } }); // false
 */
export function isGpuBackend(backend: BackendLike = backendInfo()): boolean {
  // A bare name is judged by the adapter this process selected.
  if (typeof backend === 'string') return isGpuInfo({ backend, webgpu: backendInfo()?.webgpu ?? null });
  return isGpuInfo(backend);
}

/**
 * The course profile for a backend: 'full' on a GPU (isGpuBackend), else 'quick'.
 *
 * @example
 * profileFor('wasm'); // 'quick'
 * profileFor('tensorflow-gpu'); // 'full'
 */
export function profileFor(backend: BackendLike = backendInfo()): CourseProfile {
  return isGpuBackend(backend) ? 'full' : 'quick';
}
