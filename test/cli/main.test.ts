/** `metriclab` itself: --version, usage errors and the command list, run as a user runs it. */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'metriclab.js');

function metriclab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('metriclab (the command line entry point)', function () {
  this.timeout(60_000);
  before(function () {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
  });

  it('prints the package version for --version and -V, and exits 0', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = metriclab(flag);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), version);
    }
  });

  it('exits 2 with the list of commands for an unknown command', () => {
    const r = metriclab('trian');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'trian'.*train/);
  });

  it('lists every command and --version in --help', () => {
    const r = metriclab('--help');
    assert.equal(r.status, 0, r.stderr);
    for (const c of ['info', 'data', 'parity', 'train', 'run', 'course', 'kernel', '--version'])
      assert.match(r.stdout, new RegExp(c));
  });
});
