/**
 * UnsortedSegmentSum (the gradient of gather) as one pass over the data: out[ids[i]] += x[i].
 * The cpu reference builds an equality mask per segment (numSegments passes over x, seconds for a
 * triplet loss's gather); this is O(size of x). float32 only; other dtypes go to `fallback`.
 *
 * @example
 * import { bridgeKernel } from '../kernel-bridge';
 * tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm',
 *   kernelFunc: unsortedSegmentSumKernel(bridgeKernel('UnsortedSegmentSum')) });
 */
import * as tf from '../../tf';
import { float32Output, wasmFloat32Inputs } from './io';

export function unsortedSegmentSumKernel(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const x = inputs.x;
    const segmentIds = inputs.segmentIds;
    const numSegments = Number(attrs?.numSegments);
    if (!x || !segmentIds || x.dtype !== 'float32') return fallback(args);
    const backend = args.backend as tf.KernelBackend;
    const ids = backend.readSync(segmentIds.dataId) as Int32Array;
    // segmentIds covers the leading dims of x; each id owns a contiguous row of `inner` values.
    const innerShape = x.shape.slice(segmentIds.shape.length);
    const inner = innerShape.reduce((a, b) => a * b, 1);
    const shape = [numSegments, ...innerShape];
    // On wasm, read and write the heap in place (copying x out and the sum back cost 10x the sum).
    const io = wasmFloat32Inputs(args, ['x']);
    const outInfo = io ? io.alloc(shape) : null;
    const xs = io ? io.view(x) : (backend.readSync(x.dataId) as Float32Array);
    const out = io && outInfo ? io.view(outInfo).fill(0) : new Float32Array(numSegments * inner);
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i];
      // Like TensorFlow, ids outside [0, numSegments) contribute nothing.
      if (s < 0 || s >= numSegments) continue;
      const o = s * inner;
      const r = i * inner;
      for (let j = 0; j < inner; j++) out[o + j] += xs[r + j];
    }
    return outInfo ?? float32Output(backend, out, shape);
  };
}
