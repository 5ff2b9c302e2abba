/**
 * Runs the same seeded computation on wasm (or webgpu) and on the cpu backend (tfjs's reference
 * kernels) and compares the results, so each kernel the library adds or wraps is checked against cpu.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { useBackend } from '../../lib/backend';
import { expectClose } from '../helpers/backends';

export type Outputs = { values: number[][]; dtypes: string[]; shapes: number[][] };

/** Runs fn (which must build its inputs from a seed) on one backend and reads the results. */
export async function runOn(backend: 'wasm' | 'cpu' | 'webgpu', fn: () => tf.Tensor | tf.Tensor[]): Promise<Outputs> {
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
  return expectMatchesCpu('wasm', fn, atol, rtol);
}

/** fn on `backend` equals fn on cpu within atol + rtol * |cpu|; leaves `backend` active. */
export async function expectMatchesCpu(
  backend: 'wasm' | 'webgpu',
  fn: () => tf.Tensor | tf.Tensor[],
  atol = 1e-4,
  rtol = 1e-4,
): Promise<Outputs> {
  const cpu = await runOn('cpu', fn);
  const out = await runOn(backend, fn);
  assert.deepEqual(out.shapes, cpu.shapes, `output shapes differ between ${backend} and cpu`);
  assert.deepEqual(out.dtypes, cpu.dtypes, `output dtypes differ between ${backend} and cpu`);
  out.values.forEach((v, i) => expectClose(v, cpu.values[i], atol, rtol, `output ${i}`));
  return out;
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
