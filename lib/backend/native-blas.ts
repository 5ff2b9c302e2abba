/**
 * The optional native path: OpenBLAS's sgemm (native/, built at install by
 * scripts/build-native.mjs when Debian's libopenblas-dev is there) behind the wasm backend's
 * matrix products. The wasm backend stays the backend; its BatchMatMul and _FusedMatMul kernels
 * hand their operands, in place in wasm memory, to sgemm (kernels/native-mat-mul.ts). Without the
 * build, or with METRICLAB_NATIVE=0, everything runs on XNNPACK inside wasm, as before.
 * METRICLAB_BLAS_THREADS sets OpenBLAS's thread count. The default is 1: the course runs two
 * kernels at a time on two cores, OpenBLAS's idle threads spin and would take the core the
 * JavaScript between the products needs, and one thread is what the PyTorch references in bench/ use.
 *
 * @example
 * const status = nativeBlasStatus(); // { loaded: true, threads: 2, config: 'OpenBLAS 0.3.21 ...' }
 * const was = setNativeBlasEnabled(false); // XNNPACK for the following matmuls (A/B comparisons, tests)
 * setNativeBlasEnabled(was);
 */
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../package-root';

/** The functions of native/src/blas.c. */
export interface NativeBlas {
  /** C_i = op(A_i) op(B_i) for i < batch, row-major, op(A) [m, k], op(B) [k, n]; strides in floats (0 broadcasts). */
  sgemm(
    transA: boolean,
    transB: boolean,
    batch: number,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    strideA: number,
    b: Float32Array,
    strideB: number,
    c: Float32Array,
    strideC: number,
  ): void;
  setThreads(threads: number): void;
  info(): { threads: number; config: string };
}

export interface NativeBlasStatus {
  /** Whether the module loaded (and the wasm matmul kernels use it while enabled). */
  loaded: boolean;
  /** What was loaded, or why not, in words. */
  reason: string;
  /** OpenBLAS's threads and build configuration, when loaded. */
  threads: number | null;
  config: string | null;
}

export const NATIVE_BLAS_MODULE = path.join(PACKAGE_ROOT, 'native', 'build', 'Release', 'metriclab_blas.node');

let loaded: { blas: NativeBlas | null; status: NativeBlasStatus } | null = null;
let enabled = true;

function load(): { blas: NativeBlas | null; status: NativeBlasStatus } {
  const none = (reason: string) => ({ blas: null, status: { loaded: false, reason, threads: null, config: null } });
  if (process.env.METRICLAB_NATIVE === '0') return none('disabled by METRICLAB_NATIVE=0');
  if (!fs.existsSync(NATIVE_BLAS_MODULE)) {
    return none('not built (npm install builds it when libopenblas-dev and pkg-config are installed)');
  }
  let blas: NativeBlas;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    blas = require(NATIVE_BLAS_MODULE) as NativeBlas;
  } catch (e) {
    return none(`failed to load: ${(e as Error).message.split('\n')[0]}`);
  }
  const threads = process.env.METRICLAB_BLAS_THREADS ?? '1';
  const n = Number(threads);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`Error in metriclab backend: METRICLAB_BLAS_THREADS must be an integer >= 1, but got '${threads}'`);
  }
  blas.setThreads(n);
  const info = blas.info();
  return {
    blas,
    status: {
      loaded: true,
      reason: `native/ built against ${info.config.split(' ').slice(0, 2).join(' ')}, ${info.threads} thread(s)`,
      ...info,
    },
  };
}

/** The native module, loaded once; null when it is not built, fails to load or is disabled. */
export function nativeBlas(): NativeBlas | null {
  loaded ??= load();
  return enabled ? loaded.blas : null;
}

/** Whether the native path is there and why (for `metriclab info` and the backend report). */
export function nativeBlasStatus(): NativeBlasStatus {
  loaded ??= load();
  return { ...loaded.status, threads: loaded.blas ? loaded.blas.info().threads : null };
}

/** Turns the native path off (or back on) for the following matmuls; returns the previous setting. */
export function setNativeBlasEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
