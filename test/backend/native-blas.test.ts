/**
 * The optional native path (native/: OpenBLAS's sgemm behind the wasm matmul kernels) gives the
 * cpu backend's numbers for every shape and flag the kernels accept, falls back where it does not
 * apply, leaks nothing, and leaves losses within the parity tolerances. Skips with a printed
 * reason where it is not built; .ci/run builds it and makes these checks mandatory.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { backendInfo, nativeBlasStatus, ready, setNativeBlasEnabled, useBackend } from '../../lib/backend';
import { nativeMatMulCalls } from '../../lib/backend/kernels/native-mat-mul';
import { NATIVE_BLAS_MODULE, type NativeBlas } from '../../lib/backend/native-blas';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { Random } from '../../lib/random';
import { expectClose } from '../helpers/backends';
import { referenceOrSkip } from '../helpers/references';
import { expectNoBackendLeak, expectWasmMatchesCpu } from './compare';
import { seededNormal } from './tiny-models';

const ROOT = path.resolve(__dirname, '..', '..');

/** fn's outputs with the native path on, after checking that it really called sgemm. */
function nativeRun(fn: () => tf.Tensor | tf.Tensor[]): number[][] {
  const before = nativeMatMulCalls.count;
  const out = tf.tidy(() => [fn()].flat().map((t) => Array.from(t.dataSync())));
  assert.ok(nativeMatMulCalls.count > before, 'no product went to the native sgemm');
  return out;
}

/** fn's outputs with the native path off (XNNPACK inside wasm). */
function wasmRun(fn: () => tf.Tensor | tf.Tensor[]): number[][] {
  const was = setNativeBlasEnabled(false);
  try {
    return tf.tidy(() => [fn()].flat().map((t) => Array.from(t.dataSync())));
  } finally {
    setNativeBlasEnabled(was);
  }
}

describe('native BLAS path (OpenBLAS sgemm behind the wasm matmuls)', function () {
  before(async function () {
    await ready();
    await useBackend('wasm');
    const status = nativeBlasStatus();
    referenceOrSkip(
      this as unknown as Mocha.Context,
      `the native BLAS path (${status.reason})`,
      status.loaded,
      'apt-get install libopenblas-dev pkg-config, then npm install (scripts/build-native.mjs builds it)',
    );
  });

  it('is reported by backendInfo() with one OpenBLAS thread by default', function () {
    const info = backendInfo();
    assert.equal(info?.backend, 'wasm');
    assert.equal(info?.nativeBlas?.loaded, true);
    assert.match(info?.nativeBlas?.config ?? '', /^OpenBLAS/);
    if (process.env.METRICLAB_BLAS_THREADS === undefined) assert.equal(nativeBlasStatus().threads, 1);
  });

  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  for (const [ta, tb] of flags) {
    it(`matMul transposeA=${ta} transposeB=${tb}: equals cpu within 1e-4 (rank 2, batched, broadcast batch)`, async function () {
      const shapes: [number[], number[], number, number, number][] = [
        [[], [], 37, 19, 23],
        [[3], [3], 5, 7, 4],
        [[1], [4], 6, 3, 5], // a's single matrix over b's batch
        [[2, 3], [], 4, 8, 2], // b's single matrix over a's batch
      ];
      for (const [batchA, batchB, m, k, n] of shapes) {
        const fn = (): tf.Tensor => {
          const rng = new Random(m * 100 + k * 10 + n);
          const a = seededNormal(rng, [...batchA, ...(ta ? [k, m] : [m, k])]);
          const b = seededNormal(rng, [...batchB, ...(tb ? [n, k] : [k, n])]);
          return tf.matMul(a, b, ta, tb);
        };
        const before = nativeMatMulCalls.count;
        await expectWasmMatchesCpu(fn);
        assert.ok(nativeMatMulCalls.count > before, `shapes ${batchA}|${batchB}: sgemm was not called`);
      }
    });
  }

  it('a general batch broadcast ([2,1] x [1,3] batches) falls back to the wrapped kernel, still right', async function () {
    const before = nativeMatMulCalls.count;
    await expectWasmMatchesCpu(() => {
      const rng = new Random(5);
      return tf.matMul(seededNormal(rng, [2, 1, 3, 4]), seededNormal(rng, [1, 3, 4, 2]));
    });
    assert.equal(nativeMatMulCalls.count, before);
  });

  for (const activation of ['linear', 'relu', 'elu'] as const) {
    it(`fused matMul + bias + ${activation}: equals cpu within 1e-4`, async function () {
      await expectWasmMatchesCpu(() => {
        const rng = new Random(11);
        const a = seededNormal(rng, [9, 6]);
        const b = seededNormal(rng, [6, 5]);
        const bias = seededNormal(rng, [5]);
        // A scalar bias only where the native path takes it: tfjs's wasm kernel (elu's fallback)
        // refuses rank 0. With transposeA and a bias that kernel alone was wrong; the fallback transposes first.
        const otherBias = activation === 'elu' ? bias : tf.scalar(0.3);
        return [
          tf.fused.matMul({ a, b, bias, activation }),
          tf.fused.matMul({ a: tf.transpose(a), b, transposeA: true, bias: otherBias, activation }),
          tf.fused.matMul({ a, b, activation }),
        ];
      });
    });
  }

  it('gradients of a dense model and a triplet loss equal the XNNPACK path within 1e-5', function () {
    const step = (): tf.Tensor[] => {
      const rng = new Random(3);
      const x = seededNormal(rng, [64, 20]);
      const w1 = seededNormal(rng, [20, 16]);
      const w2 = seededNormal(rng, [16, 8]);
      const labels = Array.from({ length: 64 }, (_, i) => i % 8);
      const loss = losses.tripletMargin();
      const miner = miners.batchHard();
      return tf.grads((v1: tf.Tensor, v2: tf.Tensor) => {
        const e = tf.fused.matMul({ a: tf.fused.matMul({ a: x, b: v1, activation: 'relu' }), b: v2 }) as tf.Tensor2D;
        return loss.compute(e, labels, miner.mine(e, labels)).loss;
      })([w1, w2]);
    };
    const native = nativeRun(step);
    const plain = wasmRun(step);
    native.forEach((g, i) => expectClose(g, plain[i], 1e-5, 1e-4, `gradient ${i}`));
  });

  it('contrastive and multi-similarity losses equal the XNNPACK path within 1e-5', function () {
    const rng = new Random(8);
    const e = seededNormal(rng, [96, 32]) as tf.Tensor2D;
    const labels = Array.from({ length: 96 }, (_, i) => i % 12);
    for (const loss of [losses.contrastive(), losses.multiSimilarity()]) {
      const value = (): tf.Tensor => loss.compute(e, labels).loss;
      expectClose(nativeRun(value)[0], wasmRun(value)[0], 1e-5, 1e-5, loss.name);
    }
    e.dispose();
  });

  it('frees everything it allocates (no tensor, no wasm data left)', function () {
    const rng = new Random(2);
    const a = seededNormal(rng, [2, 8, 6]);
    const b = seededNormal(rng, [2, 6, 4]);
    const bias = seededNormal(rng, [4]);
    const a2 = a.reshape([16, 6]);
    const b2 = b.slice([0], [1]).reshape([6, 4]);
    expectNoBackendLeak(() => {
      tf.matMul(a, b).dispose();
      tf.matMul(b, a, true, true).dispose();
      tf.fused.matMul({ a: a2, b: b2, bias, activation: 'relu' }).dispose();
    });
    tf.dispose([a2, b2]);
    tf.dispose([a, b, bias]);
  });

  it('sgemm refuses arrays that are too short and non-float32 arrays, naming the argument', function () {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const blas = require(NATIVE_BLAS_MODULE) as NativeBlas;
    const four = new Float32Array(4);
    assert.throws(() => blas.sgemm(false, false, 1, 3, 3, 3, four, 0, four, 0, four, 0), /do not fit the arrays/);
    assert.throws(() => blas.sgemm(false, false, 2, 2, 2, 1, four, 2, four, 2, four, 4), /do not fit the arrays/);
    assert.throws(
      () => blas.sgemm(false, false, 1, 2, 2, 2, new Float64Array(4) as unknown as Float32Array, 0, four, 0, four, 0),
      /a must be a Float32Array/,
    );
    const out = new Float32Array(4);
    blas.sgemm(false, true, 1, 2, 2, 2, Float32Array.from([1, 2, 3, 4]), 0, Float32Array.from([1, 2, 3, 4]), 0, out, 0);
    assert.deepEqual(Array.from(out), [5, 11, 11, 25]);
  });

  it('METRICLAB_BLAS_THREADS=0 is refused with a message naming the variable', function () {
    const probe = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "require('./lib/backend/native-blas').nativeBlasStatus()"],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, METRICLAB_BLAS_THREADS: '0' } },
    );
    assert.notEqual(probe.status, 0);
    assert.match(probe.stderr, /METRICLAB_BLAS_THREADS must be an integer >= 1, but got '0'/);
  });
});
