/**
 * Picks the compute backend once per process and says which and why.
 *
 * METRICLAB_BACKEND = tensorflow-gpu | tensorflow | webgpu | wasm | cpu | auto (default).
 * auto: @tensorflow/tfjs-node-gpu if installed and a CUDA GPU is seen, else @tensorflow/tfjs-node,
 * else webgpu on a hardware adapter (a software one, llvmpipe/SwiftShader, is skipped unless
 * forced), else wasm (SIMD), else cpu. The native packages are optional extras (they download libtensorflow
 * at install time), so they are looked up at run time and never imported statically.
 *
 * Selection starts when this module is imported; `await ready()` before the first tensor op.
 *
 * @example
 * import { ready } from 'metriclab';
 * const info = await ready();
 * console.log(info.backend, info.reason); // 'wasm', 'auto: no native TensorFlow package installed; ...'
 */
import * as fs from 'fs';
import * as tf from '../tf';
// Registered at import (priority above cpu), so a tf call made before `ready()` settles fails with
// "Backend 'wasm' has not yet been initialized" instead of silently running on the slow cpu backend.
import '@tensorflow/tfjs-backend-wasm';
import { registerCpuKernels } from './cpu-kernels';
import { nativeBlasStatus, type NativeBlasStatus } from './native-blas';
import { registerMissingWasmKernels } from './wasm-kernels';
import {
  autoWebGpuVerdict,
  describeAdapter,
  gpuDeviceNodes,
  probeWebGpu,
  webGpuProbed,
  type WebGpuStatus,
} from './webgpu-adapter';
import { startWebGpu } from './webgpu-backend';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendRequest = BackendName | 'auto';

export interface NativePackageStatus {
  /** npm package name. */
  package: string;
  /** Resolved path when installed, else null. */
  path: string | null;
}

export interface BackendInfo {
  /** What METRICLAB_BACKEND asked for. */
  requested: BackendRequest;
  /** The backend in use. */
  backend: BackendName;
  /** The tfjs backend name (tensorflow for both native packages). */
  tfBackend: string;
  /** Why this backend was chosen, in words. */
  reason: string;
  /** wasm only: SIMD and multithreading support. */
  simd: boolean | null;
  threads: boolean | null;
  /** Whether a CUDA GPU was seen (/dev/nvidia0 or /proc/driver/nvidia). */
  cudaGpuSeen: boolean;
  nativePackages: { gpu: NativePackageStatus; cpu: NativePackageStatus };
  versions: Record<string, string>;
  /** Kernels this library registered for the backend because tfjs lacks them or they are slow (wasm, cpu). */
  addedKernels: string[];
  /** The WebGPU packages and adapter, when selection looked (webgpu forced, or auto got that far); else null. */
  webgpu: WebGpuStatus | null;
  /** wasm only: the optional native sgemm behind the matmuls (native-blas.ts), loaded or why not; else null. */
  nativeBlas: NativeBlasStatus | null;
}

/** Thrown when a forced backend cannot be used. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const NATIVE_PACKAGE: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

function resolvePackage(name: string): string | null {
  try {
    return require.resolve(name, { paths: [process.cwd(), __dirname] });
  } catch {
    return null;
  }
}

function cudaGpuSeen(): boolean {
  return fs.existsSync('/dev/nvidia0') || fs.existsSync('/proc/driver/nvidia/version');
}

export function parseBackendRequest(value: string | undefined): BackendRequest {
  const v = (value ?? '').trim();
  if (v === '' || v === 'auto') return 'auto';
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(
    `Error in metriclab backend: METRICLAB_BACKEND must be one of auto, ${BACKEND_NAMES.join(', ')}, but got '${v}'`,
  );
}

function packageVersion(name: string): string | null {
  const main = resolvePackage(`${name}/package.json`);
  if (!main) return null;
  try {
    return (JSON.parse(fs.readFileSync(main, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

async function tryNative(which: 'tensorflow-gpu' | 'tensorflow'): Promise<void> {
  const pkg = NATIVE_PACKAGE[which];
  const resolved = resolvePackage(pkg);
  if (!resolved) {
    throw new BackendUnavailableError(
      which,
      `Error in metriclab backend: METRICLAB_BACKEND=${which} needs the package ${pkg}, which is not installed. ` +
        `Install it with: npm install ${pkg}` +
        (which === 'tensorflow-gpu' ? ' (needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1)' : ''),
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(resolved);
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendUnavailableError(
      which,
      `Error in metriclab backend: ${pkg} is installed but its backend failed to start`,
    );
  }
}

async function tryWasm(): Promise<string[]> {
  // The wasm module (Emscripten) adds process-wide uncaughtException/unhandledRejection handlers
  // that rethrow, so any later error in the user's program exits with code 7 and a wasm stack,
  // whatever handlers the user has. Take back exactly the handlers its start-up added.
  const uncaught = process.listeners('uncaughtException');
  const unhandled = process.listeners('unhandledRejection');
  try {
    if (!(await tf.setBackend('wasm'))) {
      throw new BackendUnavailableError('wasm', 'Error in metriclab backend: the wasm backend failed to initialise');
    }
  } finally {
    for (const l of process.listeners('uncaughtException')) {
      if (!uncaught.includes(l)) process.removeListener('uncaughtException', l);
    }
    for (const l of process.listeners('unhandledRejection')) {
      if (!unhandled.includes(l)) process.removeListener('unhandledRejection', l);
    }
  }
  return registerMissingWasmKernels();
}

async function tryWebGpu(): Promise<{ addedKernels: string[]; adapter: string }> {
  try {
    const started = await startWebGpu();
    return { addedKernels: started.addedKernels, adapter: describeAdapter(started.adapter) };
  } catch (e) {
    throw new BackendUnavailableError('webgpu', `Error in metriclab backend: webgpu: ${(e as Error).message}`);
  }
}

async function useCpu(): Promise<string[]> {
  await tf.setBackend('cpu');
  return registerCpuKernels();
}

async function select(
  request: BackendRequest,
): Promise<
  Omit<
    BackendInfo,
    'versions' | 'nativePackages' | 'simd' | 'threads' | 'cudaGpuSeen' | 'tfBackend' | 'webgpu' | 'nativeBlas'
  >
> {
  const gpuPkg = resolvePackage(NATIVE_PACKAGE['tensorflow-gpu']);
  const cpuPkg = resolvePackage(NATIVE_PACKAGE.tensorflow);
  switch (request) {
    case 'tensorflow-gpu':
      if (!cudaGpuSeen() && gpuPkg) {
        throw new BackendUnavailableError(
          'tensorflow-gpu',
          'Error in metriclab backend: METRICLAB_BACKEND=tensorflow-gpu but no CUDA GPU is visible (/dev/nvidia0)',
        );
      }
      await tryNative('tensorflow-gpu');
      return {
        requested: request,
        backend: 'tensorflow-gpu',
        reason: 'forced by METRICLAB_BACKEND=tensorflow-gpu',
        addedKernels: [],
      };
    case 'tensorflow':
      await tryNative('tensorflow');
      return {
        requested: request,
        backend: 'tensorflow',
        reason: 'forced by METRICLAB_BACKEND=tensorflow',
        addedKernels: [],
      };
    case 'webgpu': {
      const started = await tryWebGpu();
      return {
        requested: request,
        backend: 'webgpu',
        reason: `forced by METRICLAB_BACKEND=webgpu; adapter ${started.adapter}`,
        addedKernels: started.addedKernels,
      };
    }
    case 'wasm':
      return {
        requested: request,
        backend: 'wasm',
        reason: 'forced by METRICLAB_BACKEND=wasm',
        addedKernels: await tryWasm(),
      };
    case 'cpu':
      return {
        requested: request,
        backend: 'cpu',
        reason: 'forced by METRICLAB_BACKEND=cpu',
        addedKernels: await useCpu(),
      };
    case 'auto': {
      const notes: string[] = [];
      if (gpuPkg && cudaGpuSeen()) {
        try {
          await tryNative('tensorflow-gpu');
          return {
            requested: request,
            backend: 'tensorflow-gpu',
            reason: 'auto: @tensorflow/tfjs-node-gpu is installed and a CUDA GPU is visible',
            addedKernels: [],
          };
        } catch (e) {
          notes.push(`tfjs-node-gpu failed to load (${(e as Error).message})`);
        }
      } else {
        notes.push(gpuPkg ? 'tfjs-node-gpu installed but no CUDA GPU visible' : 'tfjs-node-gpu not installed');
      }
      if (cpuPkg) {
        try {
          await tryNative('tensorflow');
          return {
            requested: request,
            backend: 'tensorflow',
            reason: `auto: ${notes.join('; ')}; @tensorflow/tfjs-node is installed`,
            addedKernels: [],
          };
        } catch (e) {
          notes.push(`tfjs-node failed to load (${(e as Error).message})`);
        }
      } else {
        notes.push('tfjs-node not installed');
      }
      const verdict =
        gpuDeviceNodes()?.length === 0
          ? { use: false, note: 'webgpu not tried: no GPU device (/dev/dri/renderD*, /dev/nvidia*)' }
          : autoWebGpuVerdict(await probeWebGpu());
      if (!verdict.use) notes.push(verdict.note);
      else {
        try {
          const started = await tryWebGpu();
          return {
            requested: request,
            backend: 'webgpu',
            reason: `auto: ${notes.join('; ')}; ${verdict.note}`,
            addedKernels: started.addedKernels,
          };
        } catch (e) {
          notes.push(`webgpu failed (${(e as Error).message})`);
        }
      }
      try {
        const added = await tryWasm();
        return {
          requested: request,
          backend: 'wasm',
          reason: `auto: ${notes.join('; ')}; using WebAssembly`,
          addedKernels: added,
        };
      } catch (e) {
        notes.push(`wasm failed (${(e as Error).message})`);
      }
      return {
        requested: request,
        backend: 'cpu',
        reason: `auto: ${notes.join('; ')}; falling back to the pure-JS cpu backend`,
        addedKernels: await useCpu(),
      };
    }
  }
}

let selection: Promise<BackendInfo> | null = null;
let selected: BackendInfo | null = null;
/** What the automatic selection chose, kept when useBackend switches. */
let automatic: BackendInfo | null = null;

/**
 * Selects the backend named by METRICLAB_BACKEND (once per process) and resolves with what was
 * chosen and why. Safe to call many times.
 */
export function ready(): Promise<BackendInfo> {
  if (!selection) {
    selection = (async () => {
      const request = parseBackendRequest(process.env.METRICLAB_BACKEND);
      const chosen = await select(request);
      await tf.ready();
      const isWasm = chosen.backend === 'wasm';
      const versions: Record<string, string> = { ...tf.version };
      for (const pkg of [
        '@tensorflow/tfjs-backend-wasm',
        NATIVE_PACKAGE.tensorflow,
        NATIVE_PACKAGE['tensorflow-gpu'],
        'webgpu',
        '@tensorflow/tfjs-backend-webgpu',
      ]) {
        const v = packageVersion(pkg);
        if (v) versions[pkg] = v;
      }
      selected = {
        ...chosen,
        tfBackend: tf.getBackend(),
        simd: isWasm ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : null,
        threads: isWasm ? tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') : null,
        cudaGpuSeen: cudaGpuSeen(),
        nativePackages: {
          gpu: { package: NATIVE_PACKAGE['tensorflow-gpu'], path: resolvePackage(NATIVE_PACKAGE['tensorflow-gpu']) },
          cpu: { package: NATIVE_PACKAGE.tensorflow, path: resolvePackage(NATIVE_PACKAGE.tensorflow) },
        },
        versions,
        // Only when selection looked, so a backend chosen without it never loads Dawn to report it.
        webgpu: webGpuProbed() ? await probeWebGpu() : null,
        nativeBlas: isWasm ? nativeBlasStatus() : null,
      };
      automatic = selected;
      return selected;
    })();
    // Keep an unobserved failure from crashing the process at import; callers see it on ready().
    selection.catch(() => undefined);
  }
  return selection;
}

/** The selected backend, or null before `ready()` resolved. */
export function backendInfo(): BackendInfo | null {
  return selected;
}

/**
 * Switches to another backend in this process (tests run the same checks on wasm, cpu, webgpu).
 * Registers the library's extra kernels when needed (once per process).
 */
export async function useBackend(name: 'wasm' | 'cpu' | 'webgpu'): Promise<void> {
  // Let the automatic selection finish first, so it cannot switch back after this call; a
  // selection that failed (e.g. a forced native package missing) does not stop an explicit switch.
  await ready().catch(() => null);
  const added =
    name === 'wasm' ? await tryWasm() : name === 'webgpu' ? (await tryWebGpu()).addedKernels : await useCpu();
  await tf.ready();
  if (automatic) {
    selected =
      name === automatic.backend
        ? automatic
        : {
            ...automatic,
            backend: name,
            tfBackend: tf.getBackend(),
            reason: `${automatic.reason}; then switched to ${name} by useBackend()`,
            addedKernels: added,
            nativeBlas: name === 'wasm' ? nativeBlasStatus() : null,
          };
    selection = Promise.resolve(selected);
  }
}

// Selection starts at import, so the backend is chosen once for the process.
void ready();
