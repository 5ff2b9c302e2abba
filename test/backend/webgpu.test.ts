/**
 * The webgpu backend (Dawn through the npm package `webgpu`): selection, synchronous reads, the
 * kernels the library adds or replaces, gradients against the cpu backend, losses and miners
 * without leaks, training through train() against wasm, and the parity file. Runs on whatever
 * adapter Dawn finds (in CI the llvmpipe software one, from scripts/install-vulkan-sw.sh);
 * skipped with the reason printed where there is none, mandatory with
 * METRICLAB_REQUIRE_REFERENCES=1. Sizes are small: llvmpipe is a CPU pretending to be a GPU.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '../../lib/tf';
import {
  autoWebGpuVerdict,
  gpuDeviceNodes,
  isGpuBackend,
  isSoftwareAdapter,
  profileFor,
  useBackend,
  type WebGpuStatus,
} from '../../lib/backend';
import { missingKernels } from '../../lib/backend/wasm-kernels';
import { registerMissingWebGpuKernels, UNBRIDGED_WEBGPU_KERNELS } from '../../lib/backend/webgpu-kernels';
import { loadDataset, subsetDataset } from '../../lib/data';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { cnnEmbedder } from '../../lib/models';
import { runParityFile } from '../../lib/parity';
import { Random } from '../../lib/random';
import { PKSampler } from '../../lib/samplers';
import { train } from '../../lib/train';
import type { MetricLoss } from '../../lib/types';
import { describeWebGpu, expectClose, expectNoLeak, webgpuUnavailable } from '../helpers/backends';
import { randomEmbeddings } from '../losses/helpers';
import { expectMatchesCpu, expectNoBackendLeak, runOn } from './compare';
import { seededNormal } from './tiny-models';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'metriclab.js');

describe('webgpu: adapter classification and the course profile (no GPU needed)', () => {
  it('llvmpipe, SwiftShader and fallback adapters are software; a named GPU is not', () => {
    assert.ok(isSoftwareAdapter({ vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6)' }));
    assert.ok(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', description: '' }));
    assert.ok(isSoftwareAdapter({ vendor: 'x', description: 'y', isFallbackAdapter: true }));
    assert.ok(!isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }));
    assert.ok(!isSoftwareAdapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900' }));
  });

  const gpu = (software: boolean): WebGpuStatus => ({
    dawnPackage: 'x',
    tfjsPackage: 'y',
    adapter: { vendor: 'v', architecture: 'a', device: '', description: 'd', software },
    problem: null,
  });

  it('auto uses a hardware adapter and skips a software or missing one, saying why', () => {
    assert.deepEqual(autoWebGpuVerdict(gpu(false)), {
      use: true,
      note: 'using WebGPU on d (vendor v, architecture a, hardware)',
    });
    assert.deepEqual(autoWebGpuVerdict(gpu(true)), {
      use: false,
      note: 'webgpu adapter d (vendor v, architecture a, software) skipped (METRICLAB_BACKEND=webgpu would use it)',
    });
    const none = { ...gpu(false), adapter: null, problem: 'Dawn found no WebGPU adapter' };
    assert.deepEqual(autoWebGpuVerdict(none), {
      use: false,
      note: 'webgpu unavailable (Dawn found no WebGPU adapter)',
    });
  });

  it('the full profile only on a GPU: tensorflow-gpu or webgpu on a hardware adapter', () => {
    assert.equal(profileFor({ backend: 'webgpu', webgpu: gpu(false) }), 'full');
    assert.equal(profileFor({ backend: 'webgpu', webgpu: gpu(true) }), 'quick');
    assert.equal(profileFor({ backend: 'tensorflow-gpu', webgpu: null }), 'full');
    assert.equal(profileFor('wasm'), 'quick');
    assert.equal(profileFor('cpu'), 'quick');
    assert.ok(!isGpuBackend(null));
  });
});

/** Node flags that make `webgpu` unresolvable, as on a machine where optional packages were left out. */
const HIDE_DAWN = [
  '--import',
  'data:text/javascript,' +
    encodeURIComponent(`import Module from 'module';
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'webgpu' || request.startsWith('webgpu/')) throw Object.assign(new Error('hidden'), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};`),
];

describe('webgpu: missing pieces give messages that say what to install', function () {
  this.timeout(60000);

  it('without the webgpu package: forcing fails naming the npm install; info says the same', () => {
    const forced = spawnSync('node', [...HIDE_DAWN, BIN, 'info'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'webgpu' },
    });
    assert.equal(forced.status, 1, forced.stdout);
    assert.match(
      forced.stderr,
      /webgpu: the package webgpu is not installed \(it is an optional dependency of metriclab\)\. Install it with: npm install webgpu @tensorflow\/tfjs-backend-webgpu/,
    );
    const auto = spawnSync('node', [...HIDE_DAWN, BIN, 'info'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'auto' },
    });
    assert.equal(auto.status, 0, auto.stderr);
    assert.match(auto.stdout, /webgpu adapter:\s+none: the package webgpu is not installed/);
  });
});

describe('webgpu: selection through the CLI', function () {
  this.timeout(60000);
  before(async function () {
    const why = await webgpuUnavailable();
    if (why) {
      console.log(`      (skipped: ${why})`);
      this.skip();
    }
  });

  it('`metriclab info` with METRICLAB_BACKEND=webgpu names the adapter; auto uses it or says why not', () => {
    const forced = spawnSync('node', [BIN, 'info', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'webgpu' },
    });
    assert.equal(forced.status, 0, forced.stderr);
    const info = JSON.parse(forced.stdout) as { backend: string; reason: string; webgpu: WebGpuStatus };
    assert.equal(info.backend, 'webgpu');
    assert.ok(info.webgpu.adapter, 'adapter reported');
    assert.match(
      info.reason,
      /forced by METRICLAB_BACKEND=webgpu; adapter .*\((vendor .*, architecture .*, (software|hardware))\)/,
    );
    const auto = spawnSync('node', [BIN, 'info'], { encoding: 'utf8', env: { ...process.env, METRICLAB_BACKEND: '' } });
    assert.equal(auto.status, 0, auto.stderr);
    assert.match(auto.stdout, /webgpu adapter:\s+\S/);
    if (gpuDeviceNodes()?.length === 0) {
      assert.match(auto.stdout, /why:.*webgpu not tried: no GPU device \(\/dev\/dri\/renderD\*, \/dev\/nvidia\*\)/);
    } else if (info.webgpu.adapter.software) {
      assert.match(auto.stdout, /why:.*webgpu adapter .* software\) skipped \(METRICLAB_BACKEND=webgpu would use it\)/);
    } else if (!/tfjs-node(-gpu)? is installed/.test(auto.stdout)) {
      assert.match(auto.stdout, /backend:\s+webgpu/);
    }
  });

  it('with no Vulkan driver visible, forcing webgpu fails naming the driver to install', () => {
    const r = spawnSync('node', [BIN, 'info'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'webgpu', VK_ICD_FILENAMES: '/nonexistent/icd.json' },
    });
    if (r.status === 0) {
      console.log(`      (not checked: Dawn still found an adapter without Vulkan ICDs: ${r.stdout.split('\n')[2]})`);
      return;
    }
    assert.match(r.stderr, /Dawn found no WebGPU adapter; install a Vulkan driver.*scripts\/install-vulkan-sw\.sh/);
  });
});

describeWebGpu('webgpu backend', function () {
  this.timeout(120000);

  it('synchronous reads work in Node: float32, int32 and bool, large and small', () => {
    const big = tf.tidy(() => tf.range(0, 70000).mul(2).dataSync());
    assert.equal(big.length, 70000);
    assert.equal(big[69999], 139998);
    assert.deepEqual(Array.from(tf.tidy(() => tf.tensor1d([3, 1, 2]).argMax().dataSync())), [0]);
    assert.deepEqual(
      tf.tidy(() => tf.tensor1d([1, 2, 3], 'int32').add(1).arraySync()),
      [2, 3, 4],
    );
    assert.deepEqual(Array.from(tf.tidy(() => tf.tensor1d([1, 5]).greater(2).dataSync())), [0, 1]);
  });

  it('registers what webgpu lacks (cpu bridges) and replaces Acos, once', () => {
    // useBackend('webgpu') registered them already; a second call returns that list, so the
    // dispatch helpers passed here are never used.
    const unused = {
      flatDispatchLayout: () => ({ x: [] }),
      computeDispatch: (): [number, number, number] => [1, 1, 1],
    };
    const first = registerMissingWebGpuKernels(unused);
    assert.ok(first.includes('Unique') && first.includes('Acos'), first.join(', '));
    assert.deepEqual(
      missingKernels('webgpu').filter((name) => !(name in UNBRIDGED_WEBGPU_KERNELS)),
      [],
    );
    const u = tf.tidy(() => tf.unique(tf.tensor1d([4, 1, 4, 2, 1])).values.arraySync());
    assert.deepEqual(u, [4, 1, 2]);
  });

  it('Acos is accurate to float32 near |x| = 1 (WGSL acos is 2e-4 off there) and NaN outside', async () => {
    const xs = Array.from({ length: 401 }, (_, i) => Math.max(-0.99999, Math.min(0.99999, -1 + i / 200)));
    await expectMatchesCpu('webgpu', () => tf.acos(tf.tensor1d(xs)), 0, 1e-6);
    const edge = await runOn('webgpu', () => tf.acos(tf.tensor1d([1.5, -2, 1, -1])));
    assert.deepEqual(edge.values[0].slice(0, 2).map(Number.isNaN), [true, true]);
    expectClose(edge.values[0].slice(2), [0, Math.PI], 1e-6, 0, 'acos(±1)');
  });

  it('conv2d, maxPool, matMul and gather gradients equal the cpu backend', async () => {
    await expectMatchesCpu('webgpu', () => {
      const rng = new Random(7);
      const x = seededNormal(rng, [2, 8, 8, 2]) as tf.Tensor4D;
      const f = seededNormal(rng, [3, 3, 2, 4]) as tf.Tensor4D;
      const w = seededNormal(rng, [2, 4, 4, 4]);
      return tf.grads((a, b) =>
        tf
          .maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')), 2, 2, 'valid')
          .mul(w)
          .sum(),
      )([x, f]);
    });
    await expectMatchesCpu('webgpu', () => {
      const rng = new Random(3);
      const table = seededNormal(rng, [10, 6]);
      const m = seededNormal(rng, [5, 6]);
      const idx = tf.tensor1d([1, 3, 3, 9, 0], 'int32');
      return tf.grads((t, b) => tf.matMul(tf.gather(t, idx), b, false, true).square().sum())([table, m]);
    });
  });

  const LOSSES: [string, () => MetricLoss][] = [
    ['contrastive', () => losses.contrastive({ posMargin: 0.1, negMargin: 1.8 })],
    ['tripletMargin', () => losses.tripletMargin({ margin: 0.5 })],
    ['multiSimilarity', () => losses.multiSimilarity({ beta: 5 })],
    ['supCon', () => losses.supCon({ temperature: 0.5 })],
    ['liftedStructure', () => losses.liftedStructure()],
    ['proxyAnchor', () => losses.proxyAnchor({ numClasses: 3, embeddingSize: 4, seed: 3, alpha: 4 })],
    ['arcFace', () => losses.arcFace({ numClasses: 3, embeddingSize: 4, seed: 3, scale: 4 })],
  ];
  const labels = [0, 0, 1, 1, 2, 2];
  for (const [name, make] of LOSSES) {
    it(`${name}: value and gradient equal the cpu backend's, no leak`, async () => {
      const loss = make();
      try {
        await expectMatchesCpu(
          'webgpu',
          () => {
            const e = randomEmbeddings(6, 4, 11);
            const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels).loss)(e);
            return [value, grad];
          },
          1e-4,
          1e-3,
        );
        const e = randomEmbeddings(6, 4, 11);
        expectNoBackendLeak(() =>
          tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels).loss)(e)),
        );
        e.dispose();
      } finally {
        loss.trainableWeights().forEach((w) => w.dispose());
      }
    });
  }

  it('miners pick the same tuples as on cpu and leak nothing', async () => {
    const mined: Record<string, unknown>[] = [];
    for (const backend of ['cpu', 'webgpu'] as const) {
      await useBackend(backend);
      const e = randomEmbeddings(12, 4, 5);
      const lab = Int32Array.from({ length: 12 }, (_, i) => i % 3);
      mined.push(
        expectNoLeak(() => ({
          batchHard: miners.batchHard().mine(e, lab),
          semiHard: miners.tripletMargin({ margin: 0.5, type: 'semihard' }).mine(e, lab),
          multiSimilarity: miners.multiSimilarity({ epsilon: 0.1 }).mine(e, lab),
        })),
      );
      e.dispose();
    }
    assert.deepEqual(mined[1], mined[0]);
  });

  it('train() on the CNN: the step losses follow wasm within 1e-3, and no tensor is left', async function () {
    this.timeout(240000);
    const all = await loadDataset('mnist', { split: 'train', limit: 200 });
    const keep = Array.from(all.labels.keys()).filter((i) => all.labels[i] < 4);
    const data = subsetDataset(all, keep);
    all.images.dispose();
    const stepLosses: number[][] = [];
    for (const backend of ['wasm', 'webgpu'] as const) {
      await useBackend(backend);
      const x = tf.tensor4d(data.images.dataSync(), data.images.shape);
      const model = cnnEmbedder({ embeddingDim: 16, filters: [4, 8], dense: 16, seed: 1 });
      const before = tf.memory().numTensors;
      const history = await train({
        model,
        loss: losses.tripletMargin({ margin: 0.2 }),
        sampler: new PKSampler({
          labels: data.labels,
          classesPerBatch: 4,
          samplesPerClass: 3,
          seed: 2,
          batchesPerEpoch: 3,
        }),
        data: { x, labels: data.labels },
        epochs: 1,
        optimizer: { name: 'adam', learningRate: 1e-3 },
        seed: 2,
        progress: 'none',
      });
      assert.equal(tf.memory().numTensors, before, `train leaves no tensor behind on ${backend}`);
      assert.equal(history.backend, backend);
      stepLosses.push(history.steps.map((s) => s.loss));
      model.dispose();
      x.dispose();
    }
    data.images.dispose();
    expectClose(stepLosses[1], stepLosses[0], 1e-3, 1e-3, 'webgpu step loss vs wasm');
  });

  it('the parity file passes (losses, miners, retrieval and clustering against PyTorch/faiss/sklearn)', () => {
    const report = runParityFile(path.join(ROOT, 'test', 'fixtures', 'parity.json'));
    const failed = report.results.filter((r) => !r.passed);
    assert.deepEqual(
      failed.map((r) => `${r.kind}/${r.name}: ${r.detail ?? r.error}`),
      [],
    );
    assert.ok(report.passed > 100, `only ${report.passed} cases ran`);
  });
});
