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
import { backendInfo, type BackendInfo, type BackendName } from './select';

export type CourseProfile = 'quick' | 'full';

type BackendLike = BackendName | Pick<BackendInfo, 'backend' | 'webgpu'> | null | undefined;

/**
 * True for tensorflow-gpu (CUDA) and for webgpu on a hardware adapter; false for webgpu on a
 * software adapter (llvmpipe, SwiftShader: a CPU pretending), wasm, cpu and tensorflow. A bare
 * 'webgpu' name is judged by the adapter this process selected. Defaults to the selected backend.
 *
 * @example
 * isGpuBackend('tensorflow-gpu'); // true
 * isGpuBackend({ backend: 'webgpu', webgpu: { adapter: { software: true, ... }, ... } }); // false
 */
export function isGpuBackend(backend: BackendLike = backendInfo()): boolean {
  if (!backend) return false;
  const info = typeof backend === 'string' ? { backend, webgpu: backendInfo()?.webgpu ?? null } : backend;
  if (info.backend === 'tensorflow-gpu') return true;
  if (info.backend === 'webgpu') return info.webgpu?.adapter?.software === false;
  return false;
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
