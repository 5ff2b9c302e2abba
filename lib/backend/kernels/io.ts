/**
 * What the direct kernels share: work on the wasm backend's heap without copies (or tell the
 * caller to fall back), read the window attributes of conv/pool kernels, map each output pixel of
 * a window to the input pixels under its taps, and write a float32 output.
 *
 * @example
 * // Inside a kernel function: (args) => { ... }
 * const io = wasmFloat32Inputs(args, ['x', 'dy']);
 * if (io) {
 *   const out = io.alloc([2, 3]); // allocate first: allocation can move the heap
 *   const [xs, dys] = io.infos.map(io.view);
 *   io.view(out).fill(0);
 * } // else: not wasm or not float32, use the fallback kernel
 */
import * as tf from '../../tf';

export type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type Shape4D = [number, number, number, number];

/** The two public methods of tfjs-backend-wasm's BackendWasm the direct kernels use. */
interface WasmHeap {
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function isWasmHeap(backend: object): backend is WasmHeap {
  return 'typedArrayFromHeap' in backend && 'makeOutput' in backend;
}

/** Inputs and outputs of a kernel that runs on the wasm heap. */
export interface HeapIO {
  backend: tf.KernelBackend;
  /** The named inputs, in the order asked for. */
  infos: tf.TensorInfo[];
  /**
   * A float32 view of a tensor's data in wasm memory (no copy). Any allocation on the backend can
   * grow and move the heap, which empties earlier views: allocate first, then take views.
   */
  view(t: tf.TensorInfo): Float32Array;
  /** A new float32 tensor on the backend, uninitialised (fill it through `view`). */
  alloc(shape: number[]): tf.TensorInfo;
}

/**
 * The named float32 inputs on the wasm heap, or null when the backend is not wasm or an input is
 * missing or not float32 (use the fallback).
 */
export function wasmFloat32Inputs(args: Parameters<tf.KernelFunc>[0], names: string[]): HeapIO | null {
  const infos = names.map((n) => args.inputs[n]);
  const backend = args.backend as tf.KernelBackend;
  if (!args.attrs || !isWasmHeap(backend) || infos.some((t) => !t || t.dtype !== 'float32')) return null;
  return {
    backend,
    infos: infos as tf.TensorInfo[],
    view: (t) => backend.typedArrayFromHeap(t) as Float32Array,
    alloc: (shape) => backend.makeOutput(shape, 'float32'),
  };
}

/** strides, pad and dimRoundingMode of a conv or pool kernel, typed for backend_util. */
export function windowAttrs(attrs: tf.NamedAttrMap): {
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined;
} {
  return {
    strides: attrs.strides as number | [number, number],
    pad: attrs.pad as Pad,
    dimRoundingMode: attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  };
}

/** Whether a conv kernel's dataFormat attribute is NHWC (the layout the direct kernels cover). */
export function isNhwc(attrs: tf.NamedAttrMap): boolean {
  return tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as 'NHWC' | 'NCHW') === 'channelsLast';
}

/**
 * The geometry of a conv gradient kernel from its attributes. No dilations: tfjs refuses
 * gradients of dilated convolutions, and its gradient kernels have no dilations attribute.
 */
export function convGradInfo(
  attrs: tf.NamedAttrMap,
  xShape: number[],
  filterShape: number[],
): tf.backend_util.Conv2DInfo {
  const { strides, pad, dimRoundingMode } = windowAttrs(attrs);
  return tf.backend_util.computeConv2DInfo(xShape as Shape4D, filterShape as Shape4D, strides, 1, pad, dimRoundingMode);
}

/** A new float32 tensor on `backend` holding `values`. */
export function float32Output(backend: tf.KernelBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

/**
 * The window geometry of one image (the same for every image of the batch), NHWC: for output
 * pixel p (= row·outWidth + col) and tap t (= r·filterWidth + c), `table[p·taps + t]` is the input
 * pixel (row·inWidth + col) under the tap, or -1 where the tap lies over padding. Kernels loop
 * over this table instead of recomputing bounds per tap: the image-sized loops stay plain.
 *
 * @example
 * const { table, taps } = tapTable(info);
 * const [pixel, tap] = [0, 4]; // output pixel 0, the middle tap of a 3x3 filter
 * const input = table[pixel * taps + tap]; // the input pixel under it, -1: padding
 */
export function tapTable(info: tf.backend_util.Conv2DInfo): { table: Int32Array; taps: number } {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight: fh, filterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  const taps = fh * fw;
  const table = new Int32Array(outHeight * outWidth * taps).fill(-1);
  for (let yr = 0; yr < outHeight; yr++) {
    for (let yc = 0; yc < outWidth; yc++) {
      const base = (yr * outWidth + yc) * taps;
      for (let r = 0; r < fh; r++) {
        const xr = yr * sh - padInfo.top + r * dh;
        if (xr < 0 || xr >= inHeight) continue;
        for (let c = 0; c < fw; c++) {
          const xc = yc * sw - padInfo.left + c * dw;
          if (xc >= 0 && xc < inWidth) table[base + r * fw + c] = xr * inWidth + xc;
        }
      }
    }
  }
  return { table, taps };
}
