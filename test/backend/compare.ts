/**
 * Runs the same seeded computation on wasm and on the cpu backend (tfjs's reference kernels) and
 * compares the results, so each wasm kernel the library adds or wraps is checked against cpu.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../lib/backend';
import { expectClose } from '../helpers/backends';

export type Outputs = { values: number[][]; dtypes: string[]; shapes: number[][] };

/** Runs fn (which must build its inputs from a seed) on one backend and reads the results. */
export async function runOn(backend: 'wasm' | 'cpu', fn: () => tf.Tensor | tf.Tensor[]): Promise<Outputs> {
  await useBackend(backend);
  return tf.tidy(() => {
    const out = fn();
    const list = Array.isArray(out) ? out : [out];
    return {
      values: list.map((t) => Array.from(t.dataSync() as ArrayLike<number>)),
      dtypes: list.map((t) => t.dtype),
      shapes: list.map((t) => t.shape),
    };
  });
}

/** fn on wasm equals fn on cpu (the reference implementations) within atol + rtol * |cpu|. */
export async function expectWasmMatchesCpu(
  fn: () => tf.Tensor | tf.Tensor[],
  atol = 1e-4,
  rtol = 1e-4,
): Promise<Outputs> {
  const cpu = await runOn('cpu', fn);
  const wasm = await runOn('wasm', fn);
  assert.deepEqual(wasm.shapes, cpu.shapes, 'output shapes differ between wasm and cpu');
  assert.deepEqual(wasm.dtypes, cpu.dtypes, 'output dtypes differ between wasm and cpu');
  wasm.values.forEach((v, i) => expectClose(v, cpu.values[i], atol, rtol, `output ${i}`));
  return wasm;
}

/**
 * Asserts fn leaves neither a tensor nor backend data behind: kernels free their temporaries
 * with disposeData, which tf.memory().numTensors does not see but numDataIds does.
 */
export function expectNoBackendLeak<T>(fn: () => T): T {
  const backend = tf.engine().backend;
  const tensors = tf.memory().numTensors;
  const data = backend.numDataIds();
  const out = fn();
  assert.equal(tf.memory().numTensors, tensors, 'tensors left behind');
  assert.equal(backend.numDataIds(), data, `${tf.getBackend()} data left behind`);
  return out;
}
