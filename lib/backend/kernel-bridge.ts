/**
 * A kernel for one backend that runs another backend's implementation of the same kernel: copy
 * the inputs over, run the reference kernel, copy the outputs back, free the copies. Used to give
 * the wasm backend the kernels it lacks by borrowing tfjs's pure-JS cpu kernels, which are the
 * reference implementations (so the results are right by construction, only slower).
 *
 * @example
 * import * as tf from 'metriclab/tf';
 * tf.registerKernel({
 *   kernelName: 'UnsortedSegmentSum',
 *   backendName: 'wasm',
 *   kernelFunc: bridgeKernel('UnsortedSegmentSum', 'cpu'),
 * });
 */
import * as tf from '../tf';

type Values = ReturnType<tf.KernelBackend['readSync']>;

/**
 * The reference backend object, initialised on first use. tfjs initialises a registered backend
 * lazily, so a process that only ever used wasm has no cpu backend object until asked for one.
 */
export function referenceBackend(name: string): tf.KernelBackend {
  const backend = tf.engine().findBackend(name);
  if (!backend) {
    throw new Error(`Error in bridgeKernel: the reference backend '${name}' is not registered or needs async init`);
  }
  // The cpu backend prints a "use tfjs-node" banner on its first write; here it is only a helper
  // behind wasm, and the banner would land in the middle of a training run's output.
  if ('firstUse' in backend) Reflect.set(backend, 'firstUse', false);
  return backend;
}

/**
 * Returns values as the typed array the dtype is stored in. Backends copy raw bytes
 * (wasm's write copies values.buffer), so a Float32Array handed over for an int32 output
 * would be reinterpreted, not converted.
 */
function asStoredArray(values: Values, dtype: tf.DataType, size: number): Values {
  switch (dtype) {
    case 'float32':
      return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    case 'int32':
      return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
    case 'bool':
      return values instanceof Uint8Array ? values : Uint8Array.from(values as ArrayLike<number>);
    case 'string':
      return values;
    case 'complex64':
      // Complex data lives as two float tensors in the cpu backend; callers skip complex kernels.
      throw new Error(`Error in bridgeKernel: cannot copy a complex64 tensor of ${size} values between backends`);
  }
}

/**
 * Makes a kernelFunc for the active backend that delegates `kernelName` to the `reference`
 * backend's registered kernel with the same inputs and attrs. Inputs keep their container shape
 * (an array stays an array: Einsum's inputs are a plain list).
 */
export function bridgeKernel(kernelName: string, reference = 'cpu'): tf.KernelFunc {
  const config = tf.getKernel(kernelName, reference);
  if (!config) {
    throw new Error(`Error in bridgeKernel: kernelName must be registered for '${reference}', but got '${kernelName}'`);
  }
  const refKernel = config.kernelFunc;
  return ({ inputs, backend, attrs }) => {
    const source = backend as tf.KernelBackend;
    const ref = referenceBackend(reference);
    const temporary = new Set<tf.DataId>();
    const copy = (t: tf.TensorInfo | undefined): tf.TensorInfo | undefined => {
      if (t === undefined) return undefined;
      const dataId = ref.write(source.readSync(t.dataId), t.shape, t.dtype);
      temporary.add(dataId);
      return { dataId, shape: t.shape, dtype: t.dtype };
    };
    const refInputs: tf.NamedTensorInfoMap = Array.isArray(inputs)
      ? (inputs.map(copy) as unknown as tf.NamedTensorInfoMap)
      : Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, copy(t)]));
    try {
      const out = refKernel({ inputs: refInputs, backend: ref, attrs });
      const outs = Array.isArray(out) ? out : [out];
      const back = outs.map((o) => {
        temporary.add(o.dataId);
        const size = o.shape.reduce((a, b) => a * b, 1);
        const values = asStoredArray(ref.readSync(o.dataId), o.dtype, size);
        return { dataId: source.write(values, o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
      });
      return Array.isArray(out) ? back : back[0];
    } finally {
      // force: a reference kernel may return an input's dataId with a raised refCount.
      for (const dataId of temporary) ref.disposeData(dataId, true);
    }
  };
}
