/**
 * Starts tfjs's WebGPU backend in Node on Dawn: loads Dawn (webgpu-adapter.ts), the optional
 * @tensorflow/tfjs-backend-webgpu package, switches tfjs to it, makes synchronous reads work
 * (webgpu-sync-read.ts) and adds the kernels it lacks (webgpu-kernels.ts). select.ts calls it
 * for METRICLAB_BACKEND=webgpu and, with a hardware adapter, for auto.
 *
 * @example
 * const { adapter, addedKernels } = await startWebGpu();
 * adapter.software; // false on a GPU, true on llvmpipe
 */
import * as tf from '../tf';
import { describeAdapter, loadDawn, probeWebGpu, WEBGPU_PACKAGES, type WebGpuAdapterSummary } from './webgpu-adapter';
import type { WebGpuDispatchUtil } from './webgpu-acos';
import { registerMissingWebGpuKernels } from './webgpu-kernels';
import { makeReadSyncWork } from './webgpu-sync-read';

/**
 * Starts the backend (once; later calls only switch back to it). Throws an Error whose message
 * says what is missing (a package, an adapter) or what failed.
 */
export async function startWebGpu(): Promise<{ adapter: WebGpuAdapterSummary; addedKernels: string[] }> {
  const status = await probeWebGpu();
  if (status.problem || !status.adapter || !status.tfjsPackage) {
    throw new Error(
      status.problem ?? `no WebGPU adapter (package ${WEBGPU_PACKAGES.tfjs} found: ${!!status.tfjsPackage})`,
    );
  }
  await loadDawn();
  // Loaded by path: it is optional, so lib/ must compile without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webgpuPackage = require(status.tfjsPackage) as { webgpu_util: WebGpuDispatchUtil };
  if (!(await tf.setBackend('webgpu'))) {
    throw new Error(`the webgpu backend failed to start on ${describeAdapter(status.adapter)}`);
  }
  makeReadSyncWork(tf.backend());
  return { adapter: status.adapter, addedKernels: registerMissingWebGpuKernels(webgpuPackage.webgpu_util) };
}
