/**
 * The TensorFlow.js the library is built on, assembled from the parts it uses instead of the
 * umbrella `@tensorflow/tfjs` (which also installs the WebGL backend, the graph-model converter,
 * tf.data and core-js: about 200 MB that nothing here runs). Every module of the library, the
 * tests, the benchmarks and the course notebooks (`import * as tf from 'metriclab/tf'`) take tf
 * from here, so they all see one namespace with gradients registered.
 *
 * What the umbrella did besides re-exporting, done here:
 * - registers the chained ops (`x.square().sum()`) and every op's gradient, which tfjs-core's
 *   CommonJS build leaves out (vendor/tfjs-core-extras.cjs, built by scripts/bundle-tf-extras.mjs;
 *   tfjs-layers' CommonJS build registers the gradients as well, but not the chained ops);
 * - registers the cpu backend (importing @tensorflow/tfjs-backend-cpu); the wasm, webgpu and
 *   native backends are registered by lib/backend;
 * - `version`: the versions of the parts, keyed like the umbrella's (without its 'tfjs' key).
 *
 * @example
 * import * as tf from 'metriclab/tf';
 * const g = tf.grad((x: tf.Tensor) => x.square().sum())(tf.tensor([1, 2]));
 * console.log(g.arraySync()); // [2, 4]
 */
// tfjs-core first: the extras attach the chained ops to the Tensor class that tfjs-core registered.
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
// The chained ops' types (a module augmentation of Tensor), type-only: no require is emitted for
// that ES module, and dist/tf.d.ts keeps the line, so users' code sees `x.square()` too.
export type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';

/** The file scripts/bundle-tf-extras.mjs writes: lib/ and dist/ both sit one level below it. */
const EXTRAS = '../vendor/tfjs-core-extras.cjs';

function loadExtras(): void {
  let extras: { tfjsCoreVersion: string };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a generated CommonJS file without types
    extras = require(EXTRAS) as { tfjsCoreVersion: string };
  } catch (e) {
    throw new Error(
      `metriclab: cannot load ${EXTRAS} (tfjs-core's gradients and chained ops as CommonJS): ` +
        `run \`node scripts/bundle-tf-extras.mjs\` (npm install and npm run build do): ${String(e)}`,
    );
  }
  // Its copy of tfjs-core's internals must match the tfjs-core it registers into.
  if (extras.tfjsCoreVersion !== version_core) {
    throw new Error(
      `metriclab: ${EXTRAS} was built from @tensorflow/tfjs-core ${extras.tfjsCoreVersion} but ` +
        `${version_core} is installed: run \`node scripts/bundle-tf-extras.mjs\``,
    );
  }
}
loadExtras();

/** The versions of the tfjs parts in use (the wasm, webgpu and native ones: lib/backend). */
export const version: Readonly<Record<'tfjs-core' | 'tfjs-layers' | 'tfjs-backend-cpu', string>> = {
  'tfjs-core': version_core,
  'tfjs-layers': version_layers,
  'tfjs-backend-cpu': version_cpu,
};
