/**
 * Finds a WebGPU adapter in Node through Dawn (the npm package `webgpu`) and describes it, so
 * backend selection can use a hardware GPU and skip a software one (Mesa's llvmpipe, SwiftShader)
 * unless it is asked for by name. Both packages are optional dependencies, looked up at run time.
 *
 * @example
 * const status = await probeWebGpu();
 * status.adapter; // { vendor: 'mesa', architecture: 'software', description: 'llvmpipe (LLVM 19.1.7, 256 bits)', software: true, ... }
 * status.problem; // null, or what is missing and how to install it
 */
import * as fs from 'fs';
import { pathToFileURL } from 'url';
import { installDawnEventPump } from './webgpu-sync-read';

/** The two optional packages the webgpu backend needs. */
export const WEBGPU_PACKAGES = { dawn: 'webgpu', tfjs: '@tensorflow/tfjs-backend-webgpu' } as const;

/** What is needed for a software adapter on Debian/Ubuntu (see scripts/install-vulkan-sw.sh). */
export const SOFTWARE_DRIVER_HINT =
  'a Vulkan driver: a GPU vendor driver, or for the llvmpipe software adapter Mesa >= 23 mesa-vulkan-drivers (run scripts/install-vulkan-sw.sh)';

export interface WebGpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (llvmpipe/lavapipe, SwiftShader, a fallback adapter). */
  software: boolean;
}

export interface WebGpuStatus {
  /** Resolved paths of `webgpu` (Dawn) and `@tensorflow/tfjs-backend-webgpu`, null when absent. */
  dawnPackage: string | null;
  tfjsPackage: string | null;
  adapter: WebGpuAdapterSummary | null;
  /** Why webgpu cannot be used here (names what to install), or null. */
  problem: string | null;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfoLike } | null>;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|softpipe|software|microsoft basic render/i;

/**
 * Whether an adapter is a CPU implementation, from its GPUAdapterInfo.
 *
 * @example
 * isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe (LLVM 19)' }); // true
 * isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }); // false
 */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  if (info.isFallbackAdapter) return true;
  return [info.vendor, info.architecture, info.device, info.description].some((s) => SOFTWARE_NAMES.test(s ?? ''));
}

function resolveFrom(name: string): string | null {
  try {
    return require.resolve(name, { paths: [process.cwd(), __dirname] });
  } catch {
    return null;
  }
}

let gpu: Promise<GpuLike> | null = null;

/**
 * Loads Dawn once and installs it as navigator.gpu (what tfjs-backend-webgpu looks for), with
 * the event pump synchronous reads need. Throws if the `webgpu` package is not installed.
 */
export function loadDawn(): Promise<GpuLike> {
  if (!gpu) {
    gpu = (async () => {
      const resolved = resolveFrom(WEBGPU_PACKAGES.dawn);
      if (!resolved) throw new Error(missingPackageMessage(WEBGPU_PACKAGES.dawn));
      installDawnEventPump();
      const dawn = (await import(pathToFileURL(resolved).href)) as {
        create(flags: string[]): GpuLike;
        globals: Record<string, unknown>;
      };
      Object.assign(globalThis, dawn.globals);
      const instance = dawn.create([]);
      const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as object;
      Object.defineProperty(nav, 'gpu', { value: instance, configurable: true });
      return instance;
    })();
    gpu.catch(() => (gpu = null));
  }
  return gpu;
}

function missingPackageMessage(pkg: string): string {
  return (
    `the package ${pkg} is not installed (it is an optional dependency of metriclab). ` +
    `Install it with: npm install ${WEBGPU_PACKAGES.dawn} ${WEBGPU_PACKAGES.tfjs}`
  );
}

let probed: Promise<WebGpuStatus> | null = null;

/** Whether probeWebGpu() has been called in this process. */
export function webGpuProbed(): boolean {
  return probed !== null;
}

/**
 * Looks for the packages and asks Dawn for the adapter tfjs would get (high-performance power
 * preference). Never throws: what went wrong is in `problem`. Cached per process.
 */
export function probeWebGpu(): Promise<WebGpuStatus> {
  probed ??= (async (): Promise<WebGpuStatus> => {
    const dawnPackage = resolveFrom(WEBGPU_PACKAGES.dawn);
    const tfjsPackage = resolveFrom(WEBGPU_PACKAGES.tfjs);
    const base = { dawnPackage, tfjsPackage, adapter: null };
    const absent = [dawnPackage ? null : WEBGPU_PACKAGES.dawn, tfjsPackage ? null : WEBGPU_PACKAGES.tfjs].filter(
      (p) => p !== null,
    );
    if (absent.length) return { ...base, problem: missingPackageMessage(absent.join(' and ')) };
    let adapter;
    try {
      adapter = await (await loadDawn()).requestAdapter({ powerPreference: 'high-performance' });
    } catch (e) {
      return { ...base, problem: `Dawn failed to load or to list adapters (${(e as Error).message})` };
    }
    if (!adapter) return { ...base, problem: `Dawn found no WebGPU adapter; install ${SOFTWARE_DRIVER_HINT}` };
    const info = adapter.info ?? {};
    return {
      ...base,
      adapter: {
        vendor: info.vendor ?? '',
        architecture: info.architecture ?? '',
        device: info.device ?? '',
        description: info.description ?? '',
        software: isSoftwareAdapter(info),
      },
      problem: null,
    };
  })();
  return probed;
}

/**
 * One line for `metriclab info` and selection reasons.
 *
 * @example
 * describeAdapter({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', software: false });
 * // 'NVIDIA H200 (vendor nvidia, architecture hopper, hardware)'
 */
export function describeAdapter(a: WebGpuAdapterSummary): string {
  const name = a.description || a.device || 'unnamed adapter';
  return `${name} (vendor ${a.vendor || '?'}, architecture ${a.architecture || '?'}, ${a.software ? 'software' : 'hardware'})`;
}

/**
 * Linux only: the GPU device nodes a hardware Vulkan driver opens (DRM render nodes, NVIDIA's).
 * None means no hardware adapter can exist, so auto need not load Dawn (which also prints driver
 * warnings on stderr) just to find llvmpipe. Elsewhere (macOS, Windows) null: no cheap test.
 *
 * @example
 * gpuDeviceNodes(); // ['/dev/dri/renderD128'] on a Linux box with a GPU, [] in a CPU-only container
 */
export function gpuDeviceNodes(): string[] | null {
  if (process.platform !== 'linux') return null;
  const list = (dir: string, prefix: string): string[] => {
    try {
      return fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(prefix))
        .map((f) => `${dir}/${f}`);
    } catch {
      return [];
    }
  };
  return [...list('/dev/dri', 'renderD'), ...list('/dev', 'nvidia')];
}

/**
 * What auto does with WebGPU given the probe: use a hardware adapter; skip a software one (it is
 * slower than wasm) or a missing one, with the reason in words.
 *
 * @example
 * const llvmpipe = { vendor: 'mesa', architecture: '', device: 'llvmpipe', description: '', software: true };
 * autoWebGpuVerdict({ dawnPackage: 'webgpu', tfjsPackage: '@tensorflow/tfjs-backend-webgpu', adapter: llvmpipe, problem: null });
 * // { use: false, note: 'webgpu adapter ... skipped (METRICLAB_BACKEND=webgpu would use it)' }
 */
export function autoWebGpuVerdict(status: WebGpuStatus): { use: boolean; note: string } {
  if (status.problem || !status.adapter) return { use: false, note: `webgpu unavailable (${status.problem})` };
  const adapter = describeAdapter(status.adapter);
  if (status.adapter.software) {
    return { use: false, note: `webgpu adapter ${adapter} skipped (METRICLAB_BACKEND=webgpu would use it)` };
  }
  return { use: true, note: `using WebGPU on ${adapter}` };
}
