/**
 * GatherV2 for float32 on wasm as contiguous slice copies in JavaScript, straight from wasm memory.
 * tfjs-backend-wasm 4.22's kernel computes every output element's source through strides: picking
 * 1024 rows of 128 floats took about 4 ms, the copies take a few hundredths of that. A triplet loss
 * on mined triplets gathers three such row sets per step (and their gradient scatters them back).
 * It also gets batchDims right, where the shipped kernel does not (gathering [2, 6, 3] along axis 1
 * with batchDims 1 read the wrong rows for the second batch entry; test/backend/fast-kernels.test.ts).
 * Other dtypes go to the shipped kernel; out-of-range indices throw as tfjs's kernel does.
 *
 * @example
 * const shipped = tf.getKernel('GatherV2', 'wasm')!;
 * tf.unregisterKernel('GatherV2', 'wasm');
 * tf.registerKernel({ ...shipped, kernelFunc: sliceGather(shipped.kernelFunc) });
 * tf.gather(tf.tensor2d([[1, 2], [3, 4]]), [1, 1, 0]); // [[3, 4], [3, 4], [1, 2]]
 */
import * as tf from '../../tf';
import { wasmFloat32Inputs } from './io';

export function sliceGather(shipped: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const io = wasmFloat32Inputs(args, ['x']);
    const indices = args.inputs.indices;
    if (!io || !indices || indices.dtype !== 'int32') return shipped(args);
    const [x] = io.infos;
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    const ids = io.backend.readSync(indices.dataId) as Int32Array;
    const dimSize = x.shape[parsedAxis];
    for (let i = 0; i < ids.length; i++) {
      if (!(ids[i] >= 0 && ids[i] < dimSize)) {
        throw new Error(`GatherV2: the index value ${ids[i]} is not in [0, ${dimSize - 1}]`);
      }
    }
    // x as [batch, outer, dim, slice] and the indices as [batch, perBatch], as tfjs lays them out.
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.TensorInfo as tf.Tensor,
      indices as tf.TensorInfo as tf.Tensor,
      parsedAxis,
      batchDims,
    );
    const { batchSize, outerSize, sliceSize } = info;
    const perBatch = ids.length / batchSize;
    const out = io.alloc(info.outputShape);
    const xs = io.view(x);
    const os = io.view(out);
    let o = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let r = 0; r < outerSize; r++) {
        const rowBase = (b * outerSize + r) * dimSize * sliceSize;
        for (let k = 0; k < perBatch; k++) {
          const from = rowBase + ids[b * perBatch + k] * sliceSize;
          os.set(xs.subarray(from, from + sliceSize), o);
          o += sliceSize;
        }
      }
    }
    return out;
  };
}
