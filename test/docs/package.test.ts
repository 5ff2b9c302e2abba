/**
 * The package as a user gets it: `npm pack`, unpacked into a fresh app's node_modules (its
 * dependencies linked from this repository's node_modules, so no network is needed), then used
 * from CommonJS, from an ES module and from strict TypeScript (the current compiler and tslab's
 * 5.0). Checks the entry points (`metriclab/runner` loads no tfjs, `metriclab` no ZeroMQ,
 * KaTeX or highlight.js, `metriclab/tf` only the tfjs parts, with gradients), the public
 * surface, and what the tarball ships.
 */
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TSLAB_TSC = path.join(ROOT, 'node_modules', '@tslab', 'typescript-for-tslab', 'lib', 'tsc.js');

const USER_TS = `import * as tf from 'metriclab/tf';
import * as ml from 'metriclab';
import { runNotebook, formatFailure, type RunResult } from 'metriclab/runner';

export async function main(): Promise<void> {
  const info: ml.BackendInfo = await ml.ready();
  const history: ml.History = await ml.train({
    model: ml.mlpEmbedder({ inputShape: [4], embeddingDim: 2, seed: 1 }),
    loss: ml.losses.tripletMargin({ margin: 0.2 }),
    sampler: new ml.PKSampler({ labels: [0, 0, 1, 1], classesPerBatch: 2, samplesPerClass: 2, seed: 1 }),
    data: { x: tf.eye(4).square(), labels: Int32Array.from([0, 0, 1, 1]) },
    epochs: 1,
    progress: 'none',
  });
  const spec: ml.TopLevelSpec = ml.trainingCurves([{ name: 'run', points: history.steps }]);
  const result: RunResult = await runNotebook('x.ipynb', { outputPath: 'y.ipynb' });
  if (result.error) console.log(formatFailure(result));
  console.log(info.backend, typeof spec);
}
`;

function tsc(compiler: string, cwd: string, options: Record<string, unknown>): string[] {
  fs.writeFileSync(
    path.join(cwd, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2020', ...options },
      files: ['app.ts'],
    }),
  );
  const r = spawnSync(process.execPath, [compiler, '-p', '.'], { cwd, encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => /error TS\d+/.test(l))
    .map((l) => l.trim());
}

describe('the packed package in a fresh app', function () {
  this.timeout(300_000);
  const app = path.join(ROOT, 'test', '.tmp', 'app');
  let files: string[] = [];

  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js')))
      throw new Error('dist/ is missing: run `npm run build` first');
    fs.rmSync(app, { recursive: true, force: true });
    fs.mkdirSync(path.join(app, 'node_modules', 'metriclab'), { recursive: true });
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0].files.map((f) => f.path);
    execFileSync('tar', [
      'xzf',
      path.join(app, packed[0].filename),
      '-C',
      path.join(app, 'node_modules', 'metriclab'),
      '--strip-components=1',
    ]);
    // The app's dependencies: this repository's installed ones, linked.
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const dep of [...Object.keys(pkg.dependencies), '@types']) {
      const link = path.join(app, 'node_modules', dep);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', dep), link, 'junction');
    }
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  });

  after(function () {
    fs.rmSync(app, { recursive: true, force: true });
  });

  it('ships the build, LICENSE and the course, and no source maps, sources or tests', function () {
    for (const f of [
      'LICENSE',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/runner.js',
      'dist/runner.d.ts',
      'dist/tf.js',
      'dist/tf.d.ts',
      'vendor/tfjs-core-extras.cjs',
      'bin/metriclab.js',
    ]) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    assert.ok(
      files.some((f) => /^notebooks\/01-.*\.ipynb$/.test(f)),
      'the course notebooks are shipped',
    );
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map') || f.startsWith('lib/') || f.startsWith('test/')),
      [],
    );
  });

  it("CommonJS: require('metriclab/runner') loads no tfjs; require('metriclab') loads no ZeroMQ, KaTeX or highlight.js", function () {
    const loaded = (entry: string): { keys: string[]; modules: string[] } =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-e',
            `const m = require(${JSON.stringify(entry)});
             const modules = Object.keys(require.cache).map((k) => (k.match(/node_modules[\\\\/]((@[^\\\\/]+[\\\\/])?[^\\\\/]+)/) || [])[1]).filter(Boolean);
             console.log(JSON.stringify({ keys: Object.keys(m), modules: [...new Set(modules)] }));`,
          ],
          { cwd: app, encoding: 'utf8' },
        ),
      ) as { keys: string[]; modules: string[] };
    const runner = loaded('metriclab/runner');
    assert.ok(runner.keys.includes('runNotebook') && runner.keys.includes('runCourse'), runner.keys.join(' '));
    assert.deepEqual(
      runner.modules.filter((m) => m.startsWith('@tensorflow')),
      [],
      'the runner entry loads no tfjs',
    );
    const lib = loaded('metriclab');
    assert.ok(lib.keys.includes('train') && lib.keys.includes('ready'), 'the library entry exports the API');
    for (const internal of [
      'runNotebook',
      'registerMissingWasmKernels',
      'registerCpuKernels',
      'bridgeKernel',
      'PACKAGE_ROOT',
    ]) {
      assert.ok(!lib.keys.includes(internal), `${internal} is not exported by 'metriclab'`);
    }
    assert.deepEqual(
      lib.modules.filter((m) => ['zeromq', 'katex', 'highlight.js'].includes(m)),
      [],
    );
    // The parts, not the umbrella (and so no WebGL, converter or tf.data).
    assert.deepEqual(lib.modules.filter((m) => m.startsWith('@tensorflow')).sort(), [
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
    ]);
  });

  it("CommonJS: require('metriclab/tf') has gradients, chained ops and layers without the umbrella package", function () {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const tf = require('metriclab/tf');
         tf.setBackend('cpu').then(() => {
           const g = tf.grad((x) => x.square().sum())(tf.tensor([1, 2, -3]));
           const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
           const grads = tf.variableGrads(() => model.apply(tf.ones([1, 3])).sum());
           console.log(JSON.stringify({ g: g.arraySync(), vars: Object.keys(grads.grads).length, version: tf.version }));
         });`,
      ],
      { cwd: app, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      g: number[];
      vars: number;
      version: Record<string, string>;
    };
    assert.deepEqual(r.g, [2, 4, -6]);
    assert.equal(r.vars, 2, 'a gradient for the kernel and the bias');
    assert.deepEqual(Object.keys(r.version).sort(), ['tfjs-backend-cpu', 'tfjs-core', 'tfjs-layers']);
  });

  it('an ES module imports both entry points and builds a model', function () {
    fs.writeFileSync(
      path.join(app, 'esm.mjs'),
      `import * as ml from 'metriclab';
       import { runNotebook } from 'metriclab/runner';
       const info = await ml.ready();
       const model = ml.mlpEmbedder({ inputShape: [2], embeddingDim: 2, seed: 1 });
       console.log(info.backend, typeof runNotebook, model.outputs[0].shape.join('x'));`,
    );
    const out = execFileSync(process.execPath, ['esm.mjs'], { cwd: app, encoding: 'utf8' });
    assert.match(out, /^wasm function x2$/m);
  });

  it('strict TypeScript compiles a user file against both entry points (current TypeScript, Node16)', function () {
    fs.writeFileSync(path.join(app, 'app.ts'), USER_TS);
    // skipLibCheck: tfjs's own declarations do not pass strict checks (see the README).
    assert.deepEqual(tsc(TSC, app, { module: 'node16', moduleResolution: 'node16', skipLibCheck: true }), []);
    // Without skipLibCheck every error is in tfjs's files, none in metriclab's.
    const all = tsc(TSC, app, { module: 'node16', moduleResolution: 'node16', skipLibCheck: false });
    assert.deepEqual(
      all.filter((l) => !l.includes('node_modules/@tensorflow/')),
      [],
    );
  });

  it("tslab's bundled TypeScript 5.0 reads the typings (CommonJS, node resolution: typesVersions finds metriclab/runner)", function () {
    fs.writeFileSync(path.join(app, 'app.ts'), USER_TS);
    assert.deepEqual(tsc(TSLAB_TSC, app, { module: 'commonjs', moduleResolution: 'node', skipLibCheck: true }), []);
  });
});
