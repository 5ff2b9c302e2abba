/**
 * The runner's defences that need no kernel: schema validation and nbformat 3 upgrade, the
 * Jupyter search path per platform, kernel install leaving foreign kernelspecs alone, output
 * paths that are inputs or unwritable, throttled saves, sharding, command-line errors.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseRunArgs, resolveRunArgs, runCli } from '../../lib/cli/run';
import { isNotebookFormatError } from '../../lib/notebook/errors';
import { KernelSpecExistsError, installKernelSpec } from '../../lib/notebook/kernel-install';
import { builtinTslabSpec, jupyterDataDirs, launchArgv } from '../../lib/notebook/kernelspec';
import { parseNotebook, readNotebook, writeNotebook, type Notebook } from '../../lib/notebook/nbformat';
import { shardOf } from '../../lib/notebook/run-many';
import { NotebookSaver, sameFile, writeProblem } from '../../lib/notebook/saver';
import { referenceOrSkip } from '../helpers/references';
import { FIXTURES, captureIo, debianPython } from './helpers';

const v45 = (cells: unknown[]): string => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const codeCell = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'c1',
  cell_type: 'code',
  source: 'x',
  metadata: {},
  outputs: [],
  execution_count: null,
  ...over,
});

const V3 = {
  nbformat: 3,
  nbformat_minor: 0,
  metadata: { name: 'old' },
  worksheets: [
    {
      metadata: {},
      cells: [
        { cell_type: 'heading', level: 2, source: ['A title'], metadata: {} },
        {
          cell_type: 'code',
          language: 'python',
          input: ['x = 1\n', 'x'],
          prompt_number: 3,
          collapsed: false,
          metadata: {},
          outputs: [
            { output_type: 'stream', stream: 'stderr', text: ['careful\n'] },
            { output_type: 'pyout', prompt_number: 3, text: ['1'], html: ['<b>1</b>'], metadata: {} },
            { output_type: 'pyerr', ename: 'E', evalue: 'v', traceback: ['tb'] },
          ],
        },
        { cell_type: 'html', source: ['<p>hi</p>'], metadata: {} },
      ],
    },
  ],
};

describe('notebook input: the official nbformat schema, nbformat 3 upgraded', function () {
  it('rejects what Python nbformat rejects: outputs that are a string, a source that is a number', function () {
    const bad =
      (cell: Record<string, unknown>): unknown =>
      () =>
        parseNotebook(v45([cell]), 'bad.ipynb');
    assert.throws(
      bad(codeCell({ outputs: 'oops' })) as () => void,
      (e: unknown) =>
        isNotebookFormatError(e) &&
        /bad\.ipynb must be an nbformat 4 notebook, but it does not match the nbformat 4\.5 schema: cells\[0\]\.outputs must be array/.test(
          e.message,
        ),
    );
    assert.throws(bad(codeCell({ source: 5 })) as () => void, /nbformat 4\.5 schema: cells\[0\]\.source must be/);
    assert.throws(bad(codeCell({ outputs: [{ output_type: 'stream', text: 'x' }] })) as () => void, /outputs\[0\]/);
    assert.throws(
      () => parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 4, cells: [] }), 'nometa.ipynb'),
      /nbformat 4\.4 schema: the notebook must have required property 'metadata'/,
    );
    // 4.5 cells without ids are repaired as nbformat's reader does, not rejected.
    const { id: _unused, ...noId } = codeCell();
    assert.match(parseNotebook(v45([noId]), 'ok.ipynb').cells[0].id, /^[0-9a-f]{8}$/);
  });

  it('upgrades nbformat 3 like nbformat.v4.upgrade (checked against Python nbformat when installed)', function () {
    const nb = parseNotebook(JSON.stringify(V3), 'v3.ipynb');
    const strip = (n: Notebook): unknown => n.cells.map(({ id: _id, ...c }) => c);
    const expected = [
      { cell_type: 'markdown', source: '## A title', metadata: {} },
      {
        cell_type: 'code',
        source: 'x = 1\nx',
        metadata: { collapsed: false },
        execution_count: 3,
        outputs: [
          { output_type: 'stream', name: 'stderr', text: 'careful\n' },
          {
            output_type: 'execute_result',
            data: { 'text/plain': '1', 'text/html': '<b>1</b>' },
            metadata: {},
            execution_count: 3,
          },
          { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['tb'] },
        ],
      },
      { cell_type: 'markdown', source: '<p>hi</p>', metadata: {} },
    ];
    assert.deepEqual(strip(nb), expected);
    const py = debianPython('nbformat');
    referenceOrSkip(this, 'Debian python3-nbformat (reference upgrade)', !!py, 'apt-get install python3-nbformat');
    const script =
      'import sys, json, nbformat\nnb = nbformat.reads(sys.stdin.read(), as_version=4)\nprint(json.dumps(nb))\n';
    const theirs = execFileSync(py!, ['-c', script], { input: JSON.stringify(V3), encoding: 'utf8' });
    assert.deepEqual(strip(parseNotebook(theirs, 'theirs.ipynb')), expected);
  });
});

describe('kernelspecs: Jupyter search path per platform, ipykernel history, install', function () {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-robust-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("follows jupyter_core's order on Linux, macOS and Windows, with the environment's prefix", function () {
    assert.deepEqual(jupyterDataDirs({ env: { HOME: '/h', JUPYTER_PATH: '/a:/b' }, platform: 'linux' }), [
      '/a',
      '/b',
      '/h/.local/share/jupyter',
      '/usr/local/share/jupyter',
      '/usr/share/jupyter',
    ]);
    assert.deepEqual(jupyterDataDirs({ env: { HOME: '/h', XDG_DATA_HOME: '/x' }, platform: 'linux' })[0], '/x/jupyter');
    // Inside a virtualenv its prefix comes before the user's folder; conda base after it.
    assert.deepEqual(jupyterDataDirs({ env: { HOME: '/h', VIRTUAL_ENV: '/venv' }, platform: 'linux' }).slice(0, 2), [
      '/venv/share/jupyter',
      '/h/.local/share/jupyter',
    ]);
    assert.deepEqual(
      jupyterDataDirs({ env: { HOME: '/h', CONDA_PREFIX: '/c', CONDA_DEFAULT_ENV: 'base' }, platform: 'linux' }).slice(
        0,
        2,
      ),
      ['/h/.local/share/jupyter', '/c/share/jupyter'],
    );
    assert.deepEqual(jupyterDataDirs({ env: { HOME: '/Users/u' }, platform: 'darwin' }).slice(0, 1), [
      '/Users/u/Library/Jupyter',
    ]);
    assert.deepEqual(
      jupyterDataDirs({
        env: {
          USERPROFILE: 'C:\\Users\\u',
          APPDATA: 'C:\\Users\\u\\AppData\\Roaming',
          PROGRAMDATA: 'C:\\ProgramData',
          JUPYTER_PATH: 'D:\\j;E:\\k',
          CONDA_PREFIX: 'C:\\conda\\envs\\x',
          CONDA_DEFAULT_ENV: 'x',
        },
        platform: 'win32',
      }),
      [
        'D:\\j',
        'E:\\k',
        'C:\\conda\\envs\\x\\share\\jupyter',
        'C:\\Users\\u\\AppData\\Roaming\\jupyter',
        'C:\\ProgramData\\jupyter',
      ],
    );
  });

  it('starts ipykernel with its history in memory, and tslab unchanged', function () {
    const py = {
      ...builtinTslabSpec(),
      argv: ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    };
    assert.deepEqual(launchArgv(py, '/k.json').slice(-2), ['/k.json', '--HistoryManager.hist_file=:memory:']);
    assert.equal(launchArgv(builtinTslabSpec(), '/k.json').at(-1), '/k.json');
  });

  it("kernel install never overwrites tslab's own kernelspec unless forced; reinstalls its own", function () {
    const prefix = path.join(tmp, 'p');
    const theirs = path.join(prefix, 'share', 'jupyter', 'kernels', 'tslab');
    fs.mkdirSync(theirs, { recursive: true });
    const own = JSON.stringify({
      argv: ['tslab', 'kernel', '--config-path', '{connection_file}'],
      display_name: 'TypeScript',
    });
    fs.writeFileSync(path.join(theirs, 'kernel.json'), own);
    assert.throws(
      () => installKernelSpec({ prefix }),
      (e: unknown) => e instanceof KernelSpecExistsError && /--name/.test(e.message),
    );
    assert.equal(fs.readFileSync(path.join(theirs, 'kernel.json'), 'utf8'), own, 'left alone');
    const ours = installKernelSpec({ prefix, name: 'metriclab-tslab' });
    assert.equal(path.basename(ours), 'metriclab-tslab');
    assert.equal(installKernelSpec({ prefix, name: 'metriclab-tslab' }), ours, 'its own spec is reinstalled');
    installKernelSpec({ prefix, force: true });
    assert.match(fs.readFileSync(path.join(theirs, 'kernel.json'), 'utf8'), /metriclab kernel install/);
  });
});

describe('run: outputs, saves, shards and command lines checked before any kernel starts', function () {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-robust-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('an --out that is the input folder (or a link to it) is refused with exit 2; the input is untouched', async function () {
    const dir = path.join(tmp, 'in');
    fs.mkdirSync(dir);
    const input = path.join(dir, 'tiny.ipynb');
    fs.copyFileSync(path.join(FIXTURES, 'tiny.ipynb'), input);
    const before = fs.readFileSync(input, 'utf8');
    for (const out of [dir, path.join(dir, '.'), path.join(tmp, 'link')]) {
      if (out.endsWith('link')) fs.symlinkSync(dir, out);
      const io = captureIo();
      assert.equal(await runCli([input, '--out', out], io), 2, out);
      assert.match(
        io.stderr(),
        /--out must not overwrite an input \(choose another folder or --inplace\), but got .*, which holds .*tiny\.ipynb/,
      );
    }
    assert.equal(fs.readFileSync(input, 'utf8'), before);
    assert.ok(sameFile(path.join(tmp, 'link', 'tiny.ipynb'), input));
    assert.ok(!sameFile(path.join(tmp, 'other.ipynb'), input));
  });

  it('unwritable outputs are found by a probe: /proc, a path under a file', function () {
    assert.match(writeProblem('/proc/x/a.ipynb') ?? '', /^E[A-Z]+ /);
    const file = path.join(tmp, 'plain-file');
    fs.writeFileSync(file, '');
    assert.match(writeProblem(path.join(file, 'a.ipynb')) ?? '', /^(ENOTDIR|EEXIST) /);
    assert.equal(writeProblem(path.join(tmp, 'new', 'a.ipynb')), null);
    assert.deepEqual(fs.readdirSync(path.join(tmp, 'new')), [], 'the probe is removed');
  });

  it('saves are throttled while outputs stream, complete on flush, and report a failed write', async function () {
    const nb = readNotebook(path.join(FIXTURES, 'tiny.ipynb'));
    const file = path.join(tmp, 'saved', 'a.ipynb');
    const saver = new NotebookSaver(file, () => nb, 200);
    for (let i = 0; i < 2000; i++) {
      nb.cells[1].source = `step ${i}`;
      saver.request();
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    await saver.flush();
    assert.ok(saver.writes >= 1 && saver.writes <= 4, `at most about one write per 200 ms, got ${saver.writes}`);
    assert.equal(readNotebook(file).cells[1].source, 'step 1999', 'the last state is on disk');
    fs.rmSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(path.dirname(file), 'now a file');
    await saver.flush();
    assert.match(saver.error?.message ?? '', /^(ENOTDIR|EEXIST) /);
  });

  it('--shard k/n splits notebooks and folders deterministically and completely', async function () {
    const all = ['d.ipynb', 'a.ipynb', 'c.ipynb', 'b.ipynb', 'e.ipynb'];
    const shards = [1, 2, 3].map((k) => shardOf(all, k, 3));
    assert.deepEqual(shards, [['a.ipynb', 'd.ipynb'], ['b.ipynb', 'e.ipynb'], ['c.ipynb']]);
    assert.deepEqual(shardOf([...all].reverse(), 2, 3), shards[1], 'input order does not matter');
    const dir = path.join(tmp, 'folder');
    fs.mkdirSync(dir);
    for (const f of all) fs.copyFileSync(path.join(FIXTURES, 'tiny.ipynb'), path.join(dir, f));
    const a = resolveRunArgs(parseRunArgs([dir, '--shard', '2/3', '--out', path.join(tmp, 'o')]));
    assert.deepEqual(
      a.notebooks,
      ['b.ipynb', 'e.ipynb'].map((f) => path.join(dir, f)),
    );
    // A shard with nothing to run still reports, naming itself, so every CI job has its file.
    const junit = path.join(tmp, 'shard-9-of-9.xml');
    const io = captureIo();
    assert.equal(await runCli([dir, '--shard', '9/9', '--junit', junit, '--out', path.join(tmp, 'o')], io), 0);
    assert.match(fs.readFileSync(junit, 'utf8'), /<testsuite name="metriclab run \(shard 9\/9\)" tests="0"/);
    assert.throws(
      () => parseRunArgs(['a.ipynb', '--shard', '4/3']),
      /--shard must be K\/N with 1 <= K <= N, but got 4\/3/,
    );
  });

  it('usage errors exit 2 with the reason and no stack: bad parameter name, unknown kernel', async function () {
    const nb = path.join(FIXTURES, 'tiny.ipynb');
    const out = path.join(tmp, 'usage');
    let io = captureIo();
    assert.equal(await runCli(['-p', 'bad name', '1', nb, '--out', out], io), 2);
    assert.match(
      io.stderr(),
      /^Error in metriclab run: -p NAME must be an identifier, but got 'bad name' \(see metriclab run --help\)\n$/,
    );
    io = captureIo();
    assert.equal(await runCli(['--kernel', 'nope', nb, '--out', out], io), 2);
    assert.match(io.stderr(), /no kernel named 'nope'/);
    assert.doesNotMatch(io.stderr(), /\n\s+at /);
    // A notebook naming an unknown kernel in its metadata: also exit 2 (bad input).
    const unknown = path.join(tmp, 'unknown.ipynb');
    const nbJson = readNotebook(nb);
    nbJson.metadata.kernelspec = { name: 'no-such-kernel', display_name: 'x' };
    writeNotebook(unknown, nbJson);
    io = captureIo();
    assert.equal(await runCli([unknown, '--out', out], io), 2);
    assert.match(io.stderr(), /NoSuchKernelError[\s\S]*no kernel named 'no-such-kernel'/);
    assert.match(io.stdout(), /FAILED \(bad input or unwritable output\)/);
  });
});
