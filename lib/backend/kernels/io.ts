/**
 * What the direct kernels share: take float32 inputs (or tell the caller to fall back), read the
 * window attributes of conv/pool kernels, and write a float32 output on the kernel's backend.
 *
 * @example
 * const io = float32Inputs(args, ['x', 'dy']);
 * if (!io) return fallback(args);
 * const [xs, dys] = io.values;
 * return float32Output(io.backend, new Float32Array(6), [2, 3]);
 */
import * as tf from '@tensorflow/tfjs';

export type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type Shape4D = [number, number, number, number];

/** The named inputs' values, or null when one is missing or not float32 (use the fallback). */
export function float32Inputs(
  args: Parameters<tf.KernelFunc>[0],
  names: string[],
): { backend: tf.KernelBackend; infos: tf.TensorInfo[]; values: Float32Array[] } | null {
  const infos = names.map((n) => args.inputs[n]);
  if (!args.attrs || infos.some((t) => !t || t.dtype !== 'float32')) return null;
  const backend = args.backend as tf.KernelBackend;
  const present = infos as tf.TensorInfo[];
  return { backend, infos: present, values: present.map((t) => backend.readSync(t.dataId) as Float32Array) };
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

/** A new float32 tensor on `backend` holding `values`. */
export function float32Output(backend: tf.KernelBackend, values: Float32Array, shape: number[]): tf.TensorInfo {
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

/** Callbacks for forEachTap; pixel indices count NHWC pixels (multiply by channels for offsets). */
export interface TapVisitor {
  /** Before the taps of output pixel `out`. */
  begin?(out: number): void;
  /** Input pixel `inp` under window tap `tap` (= r * filterWidth + c) of output pixel `out`. */
  tap(out: number, inp: number, tap: number): void;
  /** After the taps of output pixel `out`. */
  end?(out: number): void;
}

/**
 * Walks every output pixel of a conv/pool window and, in row-then-column order, every tap of its
 * window that lands inside the image (taps over padding are skipped), for NHWC layouts.
 */
export function forEachTap(info: tf.backend_util.Conv2DInfo, visitor: TapVisitor): void {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight: fh, filterWidth: fw } = info;
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        const out = (b * outHeight + yr) * outWidth + yc;
        visitor.begin?.(out);
        for (let r = 0; r < fh; r++) {
          const xr = yr * sh - padInfo.top + r;
          if (xr < 0 || xr >= inHeight) continue;
          for (let c = 0; c < fw; c++) {
            const xc = yc * sw - padInfo.left + c;
            if (xc < 0 || xc >= inWidth) continue;
            visitor.tap(out, (b * inHeight + xr) * inWidth + xc, r * fw + c);
          }
        }
        visitor.end?.(out);
      }
    }
  }
}
