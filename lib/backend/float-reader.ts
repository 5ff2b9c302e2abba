/**
 * Reads a float32 tensor into a buffer that is reused from call to call. On this machine a fresh
 * 4 MB typed array costs milliseconds of page faults, and tfjs-backend-wasm's `dataSync()` makes one
 * on every read (it slices its heap): reading a 1024 x 1024 distance matrix took 8 ms that way and
 * 0.1 ms copied from a view of the heap into a buffer already in use. Other backends' `dataSync()`
 * is returned as it is (the cpu backend hands back its own array without a copy).
 *
 * @example
 * const reader = new FloatReader();
 * const matrix = tf.matMul(embeddings, embeddings, false, true);
 * const values = reader.read(matrix); // valid until the next read with this reader
 */
import * as tf from '../tf';

interface HeapBackend {
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

export class FloatReader {
  private buffer = new Float32Array(0);

  /** The values of `t` (float32): overwritten by this reader's next read, so use them first. */
  read(t: tf.Tensor): Float32Array {
    const backend = tf.backend() as unknown as Partial<HeapBackend>;
    if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm' || !backend.typedArrayFromHeap) {
      return t.dataSync() as Float32Array;
    }
    const view = backend.typedArrayFromHeap(t) as Float32Array;
    if (this.buffer.length < view.length) this.buffer = new Float32Array(view.length);
    const out = this.buffer.subarray(0, view.length);
    out.set(view);
    return out;
  }
}

/**
 * Named zero-filled Float32Arrays reused from call to call (same reason as FloatReader). Each
 * name's array is overwritten by the next `get` of that name.
 *
 * @example
 * const scratch = new ScratchArrays();
 * const grad = scratch.get('grad', 1024 * 1024); // zeros; the next get('grad', ...) reuses them
 */
export class ScratchArrays {
  private readonly arrays = new Map<string, Float32Array>();

  get(name: string, length: number): Float32Array {
    let a = this.arrays.get(name);
    if (!a || a.length < length) {
      a = new Float32Array(length);
      this.arrays.set(name, a);
      return a.subarray(0, length);
    }
    const out = a.subarray(0, length);
    out.fill(0);
    return out;
  }
}
