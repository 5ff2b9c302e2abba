import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseProfile, courseNotebooks, runCourse } from '../../lib/cli/course';
import { parseRunArgs } from '../../lib/cli/run';
import { installKernelSpec } from '../../lib/notebook/kernel-install';
import { findKernelSpec, isNoSuchKernelError, tslabBin } from '../../lib/notebook/kernelspec';

describe('notebook CLI pieces: kernel install, kernelspecs, course, argument parsing', function () {
  let tmp: string;
  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-cli-'));
  });
  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('kernel install writes a tslab kernelspec that the Jupyter search finds', function () {
    const dir = installKernelSpec({ prefix: tmp });
    assert.equal(dir, path.join(tmp, 'share', 'jupyter', 'kernels', 'tslab'));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8')) as {
      argv: string[];
      display_name: string;
    };
    assert.equal(json.display_name, 'TypeScript (metriclab)');
    assert.deepEqual(json.argv, [process.execPath, tslabBin(), 'kernel', '--config-path', '{connection_file}']);
    const env = { JUPYTER_PATH: path.join(tmp, 'share', 'jupyter'), HOME: tmp };
    const spec = findKernelSpec('tslab', { env, preferInstalled: true });
    assert.equal(spec.resourceDir, dir);
    assert.equal(findKernelSpec(undefined).resourceDir, 'builtin', "no name: this package's tslab");
    assert.throws(
      () => findKernelSpec('nope', { env }),
      (e: unknown) =>
        isNoSuchKernelError(e) && /no kernel named 'nope'; searched .*share\/jupyter\/kernels/.test(e.message),
    );
  });

  it('course: quick unless asked or on a GPU backend; zero notebooks still writes an index', async function () {
    assert.equal(chooseProfile(undefined, 'wasm'), 'quick');
    assert.equal(chooseProfile(undefined, 'tensorflow-gpu'), 'full');
    assert.equal(chooseProfile('full', 'cpu'), 'full');
    const nbDir = path.join(tmp, 'notebooks');
    fs.mkdirSync(nbDir);
    for (const f of ['02-b.ipynb', '01-a.ipynb', 'README.md', 'scratch.ipynb'])
      fs.writeFileSync(path.join(nbDir, f), '');
    assert.deepEqual(
      courseNotebooks(nbDir).map((f) => path.basename(f)),
      ['01-a.ipynb', '02-b.ipynb'],
    );
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    const lines: string[] = [];
    const r = await runCourse({
      profile: 'quick',
      notebooksDir: empty,
      outDir: path.join(tmp, 'out'),
      log: (l) => lines.push(l),
    });
    assert.equal(r.code, 0);
    assert.match(lines[0], /0 notebook\(s\), profile 'quick' \(none found: writing an empty index\)/);
    assert.match(fs.readFileSync(r.index, 'utf8'), /No notebooks were found to run/);
    assert.ok(lines.some((l) => l.startsWith('Site: ')));
  });

  it('run: parses options and rejects bad command lines with the reason', function () {
    const a = parseRunArgs([
      '-p',
      'profile',
      'full',
      '--parameter',
      'seed',
      '3',
      '--timeout',
      '1.5',
      '--jobs',
      '2',
      'a.ipynb',
      'b.ipynb',
    ]);
    assert.deepEqual(a.parameters, { profile: 'full', seed: 3 });
    assert.deepEqual([a.timeout, a.jobs, a.out], [1.5, 2, path.join('out', 'notebooks')]);
    assert.throws(
      () => parseRunArgs([]),
      /Error in metriclab run: NOTEBOOK must be given \(a notebook or folder\), but got nothing/,
    );
    assert.throws(
      () => parseRunArgs(['--inplace', '--out', 'x', 'a.ipynb']),
      /Error in metriclab run: --inplace must not be used with --out, but got --out x/,
    );
    assert.throws(
      () => parseRunArgs(['x/a.ipynb', 'y/a.ipynb']),
      /NOTEBOOK must have distinct names \(they all go to out\/notebooks\), but got two named 'a\.ipynb'/,
    );
    assert.throws(
      () => parseRunArgs(['--frobnicate', 'a.ipynb']),
      /the option must be one that --help lists, but got '--frobnicate'/,
    );
    assert.throws(
      () => parseRunArgs(['--timeout', 'soon', 'a.ipynb']),
      /--timeout must be a positive number, but got soon/,
    );
  });
});
