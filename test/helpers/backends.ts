/**
 * Runs the same tests on every backend available here (tfjs's describeWithFlags idea):
 * wasm (the default on this machine) and the pure-JS cpu backend; webgpu for the suites that
 * opt in (describeWebGpu), since on a software adapter it is slow.
 */
import * as tf from '../../lib/tf';
import { probeWebGpu, ready, useBackend } from '../../lib/backend';

export const TEST_BACKENDS = ['wasm', 'cpu'] as const;
export type TestBackend = (typeof TEST_BACKENDS)[number];

/** describe() once per backend; the suite body runs with that backend active. */
export function describeAllBackends(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of TEST_BACKENDS) {
    describe(`${title} [${backend}]`, function () {
      before(async function () {
        await ready();
        await useBackend(backend);
      });
      after(async function () {
        await useBackend('wasm');
      });
      body(backend);
    });
  }
}

/**
 * Whether webgpu can run here: null, or why not. With METRICLAB_REQUIRE_REFERENCES=1 (CI) a
 * missing adapter is an error, since CI installs one (scripts/install-vulkan-sw.sh).
 */
export async function webgpuUnavailable(): Promise<string | null> {
  const status = await probeWebGpu();
  if (!status.problem) return null;
  if (process.env.METRICLAB_REQUIRE_REFERENCES === '1') {
    throw new Error(`METRICLAB_REQUIRE_REFERENCES=1 but webgpu is unavailable: ${status.problem}`);
  }
  return status.problem;
}

/**
 * describe() whose body runs on the webgpu backend, skipped with the reason printed where no
 * adapter is found (a software one counts: that is what CI has).
 */
export function describeWebGpu(title: string, body: (this: Mocha.Suite) => void): void {
  describe(`${title} [webgpu]`, function () {
    before(async function () {
      await ready();
      const why = await webgpuUnavailable();
      if (why) {
        console.log(`      (skipped: ${why})`);
        this.skip();
      }
      await useBackend('webgpu');
    });
    after(async function () {
      await useBackend('wasm');
    });
    body.call(this);
  });
}

/** Asserts that fn leaves no tensor behind. */
export function expectNoLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  const after = tf.memory().numTensors;
  if (after !== before)
    throw new Error(`tensor leak: ${after - before} tensors left behind (before ${before}, after ${after})`);
  return out;
}

/** Asserts |a - b| <= atol + rtol * |b| element-wise, with a message naming the first mismatch. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 1e-5,
  rtol = 1e-5,
  what = 'value',
): void {
  if (actual.length !== expected.length)
    throw new Error(`${what}: length ${actual.length} != expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
