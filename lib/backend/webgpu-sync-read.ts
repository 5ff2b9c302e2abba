/**
 * Synchronous reads (dataSync, arraySync, the kernel bridge) for tfjs's WebGPU backend in Node.
 *
 * tfjs-backend-webgpu's readSync copies through an OffscreenCanvas, which Node lacks, so every
 * dataSync() would throw. The library reads small results synchronously in many places (losses,
 * miners, validation, a training step's loss), so the backend gets a readSync that does what its
 * async read does (copy to a staging buffer, map it, copy out) and waits for the map by running
 * Dawn's event processing itself. Dawn (the npm package `webgpu`) processes GPU events from a
 * native callback it hands to setImmediate; this module records those callbacks, and a waiting
 * read calls them directly until the buffer is mapped. The event loop still runs each callback
 * once later, which is then a no-op.
 *
 * @example
 * installDawnEventPump(); // before Dawn is loaded
 * makeReadSyncWork(tf.backend()); // once the 'webgpu' backend is up
 * tf.ones([2]).add(1).dataSync(); // Float32Array [2, 2]
 */
import * as tf from '../tf';

/** How long a synchronous read waits for the GPU before giving up. */
export const SYNC_READ_TIMEOUT_MS = 300_000;

interface PendingCallback {
  fn: () => void;
  done: boolean;
}

const pending: PendingCallback[] = [];
let pumpInstalled = false;

/**
 * Wraps setImmediate so that native callbacks (Dawn's event processing; a JS callback never
 * shows "[native code]") are recorded and can be run early by pumpDawnEvents. Idempotent.
 */
export function installDawnEventPump(): void {
  if (pumpInstalled) return;
  pumpInstalled = true;
  const original = globalThis.setImmediate;
  const wrapped = function (callback: (...args: unknown[]) => void, ...args: unknown[]): NodeJS.Immediate {
    const native =
      typeof callback === 'function' &&
      args.length === 0 &&
      Function.prototype.toString.call(callback).includes('[native code]');
    if (!native) return original(callback, ...args);
    const entry: PendingCallback = { fn: callback as () => void, done: false };
    pending.push(entry);
    return original(() => runOnce(entry));
  };
  // Keep util.promisify(setImmediate) and the rest of its own properties working.
  Object.assign(wrapped, original);
  globalThis.setImmediate = wrapped as typeof globalThis.setImmediate;
}

function runOnce(entry: PendingCallback): void {
  if (entry.done) return;
  entry.done = true;
  const i = pending.indexOf(entry);
  if (i >= 0) pending.splice(i, 1);
  entry.fn();
}

/** Runs every recorded native callback once; returns how many ran. */
export function pumpDawnEvents(): number {
  const batch = pending.splice(0);
  for (const entry of batch) runOnce(entry);
  return batch.length;
}

/** The parts of a GPUBuffer a read needs (typed here so lib/ does not depend on @webgpu/types). */
interface MappableBuffer {
  size: number;
  mapState: string;
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}

/** The WebGPUBackend internals the async read uses (tfjs-backend-webgpu 4.22). */
interface WebGpuBackendInternals {
  tensorMap: { get(dataId: tf.DataId): { values: unknown; dtype: tf.DataType; resource: unknown } };
  bufferManager: { acquireBuffer(size: number, usage: number): MappableBuffer; releaseBuffer(b: MappableBuffer): void };
  commandEncoder: {
    copyBufferToBuffer(src: unknown, so: number, dst: MappableBuffer, doff: number, size: number): void;
  };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  convertAndCacheOnCPU(dataId: tf.DataId, values: unknown): unknown;
  readSync(dataId: tf.DataId): ReturnType<tf.KernelBackend['readSync']>;
}

/** WebGPU's usage and map-mode flags (fixed by the spec; globals only once Dawn is loaded). */
const COPY_DST = 0x0008;
const MAP_READ = 0x0001;
const MAP_MODE_READ = 0x0001;

/**
 * Replaces the backend's readSync with one that waits on Dawn directly. Reads that tfjs can serve
 * without the GPU (values already on the CPU, strings, complex pairs) go to the original.
 */
export function makeReadSyncWork(backend: tf.KernelBackend): void {
  const b = backend as unknown as WebGpuBackendInternals & { metriclabSyncRead?: true };
  if (b.metriclabSyncRead) return;
  const original = b.readSync.bind(b);
  b.readSync = (dataId: tf.DataId) => {
    const data = b.tensorMap.get(dataId);
    if (data.values != null || data.dtype === 'string' || data.dtype === 'complex64') return original(dataId);
    const source = data.resource as MappableBuffer;
    const staging = b.bufferManager.acquireBuffer(source.size, COPY_DST | MAP_READ);
    b.ensureCommandEncoderReady();
    b.endComputePassEncoder();
    b.commandEncoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
    b.submitQueue();
    let failure: unknown = null;
    staging.mapAsync(MAP_MODE_READ).catch((e: unknown) => (failure = e));
    const start = Date.now();
    while (staging.mapState !== 'mapped') {
      if (failure !== null)
        throw new Error(`Error in webgpu readSync: mapping the read buffer failed (${String(failure)})`);
      pumpDawnEvents();
      if (Date.now() - start > SYNC_READ_TIMEOUT_MS) {
        throw new Error(`Error in webgpu readSync: the GPU did not finish within ${SYNC_READ_TIMEOUT_MS / 1000} s`);
      }
    }
    const bytes = staging.getMappedRange().slice(0);
    staging.unmap();
    b.bufferManager.releaseBuffer(staging);
    const values = tf.util.convertBackendValuesAndArrayBuffer(bytes, data.dtype);
    b.convertAndCacheOnCPU(dataId, values);
    return values;
  };
  b.metriclabSyncRead = true;
}
