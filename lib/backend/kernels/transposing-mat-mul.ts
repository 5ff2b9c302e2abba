/**
 * BatchMatMul for wasm that never asks XNNPACK for a transposed operand. tfjs-backend-wasm 4.22
 * runs BatchMatMul through XNNPACK only when neither operand is transposed; with transposeA or
 * transposeB it takes a naive loop about 10x slower ([256,784]·[256,784]ᵀ: 46 ms against 5 ms for
 * an explicit transpose plus a plain matmul). Every matmul gradient (dA = dy·Bᵀ, dB = Aᵀ·dy) and
 * every pairwise distance (A·Bᵀ) is transposed, so a training step spent most of its time there.
 * This wrapper transposes the flagged operand with wasm's Transpose kernel (a fast copy) and calls
 * the shipped kernel plainly. It wraps _FusedMatMul (Dense layers) too, where it also avoids a
 * defect: with transposeA and a bias the shipped fused kernel returns wrong values
 * (op(A)·B + bias gave [-7, -1] where cpu and the plain product give [-4.5, -1]).
 *
 * @example
 * const shipped = tf.getKernel('BatchMatMul', 'wasm')!;
 * tf.unregisterKernel('BatchMatMul', 'wasm');
 * tf.registerKernel({ ...shipped, kernelFunc: transposingMatMul(shipped.kernelFunc) });
 * tf.matMul(tf.ones([4, 3]), tf.ones([5, 3]), false, true); // [4, 5], now Transpose + XNNPACK
 */
import * as tf from '../../tf';

export function transposingMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
    const { a, b } = args.inputs;
    if ((!transposeA && !transposeB) || !transpose || !a || !b) return original(args);
    const backend = args.backend as tf.KernelBackend;
    const made: tf.TensorInfo[] = [];
    const plain = (x: tf.TensorInfo, flag: boolean | undefined): tf.TensorInfo => {
      if (!flag) return x;
      // Swap the last two axes; leading (batch) axes stay where they are.
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      const t = transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      made.push(t);
      return t;
    };
    try {
      const inputs = { ...args.inputs, a: plain(a, transposeA), b: plain(b, transposeB) };
      return original({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) backend.disposeData(t.dataId);
    }
  };
}
