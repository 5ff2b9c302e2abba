/**
 * lib/tf: the tfjs parts assembled without the umbrella @tensorflow/tfjs. The chained ops come
 * only from vendor/tfjs-core-extras.cjs (scripts/bundle-tf-extras.mjs): without it the chained-op
 * and layers tests fail. The gradients come from it and, as it happens, from tfjs-layers' own
 * CommonJS bundle; the census checks that every one is there whatever provides it. Also: nothing
 * in the repository imports the umbrella any more (scripts/rewrite-tf-imports.mjs --check).
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '../lib/tf';

const ROOT = path.resolve(__dirname, '..');

/** Loads only lib/tf in a fresh process (other parts, e.g. tfjs-layers, register some gradients of their own). */
const GRADIENT_CENSUS = `
  const fs = require('fs');
  const path = require('path');
  const tf = require(${JSON.stringify(path.join(ROOT, 'lib', 'tf.ts'))});
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist');
  const names = new Map([...fs.readFileSync(path.join(dist, 'kernel_names.js'), 'utf8')
    .matchAll(/export const (\\w+) = '([^']+)'/g)].map((m) => [m[1], m[2]]));
  const kernels = fs.readdirSync(path.join(dist, 'gradients')).filter((f) => f.endsWith('_grad.js'))
    .map((f) => names.get(/kernelName: (\\w+)/.exec(fs.readFileSync(path.join(dist, 'gradients', f), 'utf8'))[1]));
  console.log(JSON.stringify({ count: kernels.length, missing: kernels.filter((k) => !tf.getGradient(k)) }));
`;

describe('lib/tf (the tfjs parts, no umbrella)', function () {
  this.timeout(120_000);

  it("registers the gradient of every kernel that has one in tfjs-core's gradients/ (a fresh process)", function () {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', '-e', GRADIENT_CENSUS], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const census = JSON.parse(r.stdout.trim().split('\n').pop()!) as { count: number; missing: string[] };
    assert.ok(census.count >= 100, `found ${census.count} gradient files`);
    assert.deepEqual(census.missing, []);
  });

  it('registers the gradients: tf.grad of a functional expression matches the formula', function () {
    const before = tf.memory().numTensors;
    const g = tf.tidy(() => {
      const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), tf.square(x)));
      // d/dx relu(x) x^2 = 3x^2 for x > 0, 0 for x < 0.
      return Array.from(
        tf
          .grad(f)(tf.tensor([-2, 0.5, 3]))
          .dataSync(),
      );
    });
    assert.deepEqual(g, [0, 0.75, 27]);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  });

  it('registers the chained ops (x.square().sum())', function () {
    const v = tf.tidy(() => tf.tensor([1, 2, 3]).square().sum().dataSync()[0]);
    assert.equal(v, 14);
  });

  it('tfjs-layers trains through the registered gradients: a dense layer gets the analytic gradient', function () {
    const layer = tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', useBias: true });
    layer.apply(tf.zeros([1, 2])); // builds the weights
    const before = tf.memory().numTensors;
    const grads = tf.tidy(() => {
      // y = x·w + b = 1·1 + 2·1 + 0 = 3; d(y^2)/dw = 2y·x = [6, 12], d(y^2)/db = 2y = 6.
      const { value, grads } = tf.variableGrads(() =>
        (layer.apply(tf.tensor2d([[1, 2]])) as tf.Tensor).square().sum().asScalar(),
      );
      value.dispose();
      return layer.getWeights().map((w) => Array.from(grads[(w as tf.Variable).name].dataSync()));
    });
    assert.deepEqual(grads, [[6, 12], [6]]);
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
    layer.dispose();
  });

  it('version names the parts, and the extras were built from the installed tfjs-core', function () {
    assert.deepEqual(Object.keys(tf.version).sort(), ['tfjs-backend-cpu', 'tfjs-core', 'tfjs-layers']);
    assert.equal(tf.version['tfjs-core'], tf.version_core);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated CommonJS file
    const extras = require(path.join(ROOT, 'vendor', 'tfjs-core-extras.cjs')) as { tfjsCoreVersion: string };
    assert.equal(extras.tfjsCoreVersion, tf.version_core);
  });

  it('nothing imports the umbrella package any more (scripts/rewrite-tf-imports.mjs --check)', function () {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'rewrite-tf-imports.mjs'), '--check'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `run node scripts/rewrite-tf-imports.mjs:\n${r.stdout}${r.stderr}`);
  });
});
