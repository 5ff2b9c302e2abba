/**
 * Whether a selected backend is a GPU, judged from its info alone. Kept free of runtime imports
 * so the runner entry point (metriclab/runner) can decide the course profile without loading tfjs.
 */
import type { BackendInfo, BackendName } from './select';

export type BackendLike = BackendName | Pick<BackendInfo, 'backend' | 'webgpu'> | null | undefined;

/**
 * True for tensorflow-gpu (CUDA) and for webgpu on a hardware adapter; false for webgpu on a
 * software adapter (llvmpipe, SwiftShader: a CPU pretending), wasm, cpu and tensorflow. A bare
 * 'webgpu' name, with no adapter to judge, counts as not a GPU.
 *
 * @example
 * isGpuInfo({ backend: 'webgpu', webgpu: null }); // false
 */
export function isGpuInfo(backend: BackendLike): boolean {
  if (!backend) return false;
  if (typeof backend === 'string') return backend === 'tensorflow-gpu';
  if (backend.backend === 'tensorflow-gpu') return true;
  if (backend.backend === 'webgpu') return backend.webgpu?.adapter?.software === false;
  return false;
}
