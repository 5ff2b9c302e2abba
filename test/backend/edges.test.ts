/**
 * The backend at the edges of a user's program, each in a fresh process (backend state is
 * process-wide): the wasm module's process handlers do not outlive its start-up, an explicit
 * useBackend('cpu') is not undone by the automatic selection, and tf used before ready() settles
 * fails loudly instead of running on the slow cpu backend.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const BACKEND = path.join(ROOT, 'lib', 'backend');
const TF = path.join(ROOT, 'lib', 'tf.ts');

/** Runs an ES module script (with `BACKEND` and `TF` replaced by the library's backend and tf modules) under tsx. */
function runScript(source: string): { code: number | null; out: string } {
  // Inside the repository, so the script resolves the packages in node_modules.
  fs.mkdirSync(path.join(ROOT, 'test', '.tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'test', '.tmp', 'edges-'));
  const file = path.join(dir, 'script.mts');
  fs.writeFileSync(
    file,
    source.replace(/BACKEND/g, JSON.stringify(path.join(BACKEND, 'index.ts'))).replace(/\bTF\b/g, JSON.stringify(TF)),
  );
  const env = { ...process.env };
  delete env.METRICLAB_BACKEND;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--no-warnings', file], { encoding: 'utf8', env });
  fs.rmSync(dir, { recursive: true, force: true });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('backend edges (fresh processes)', function () {
  this.timeout(120_000);

  it("keeps the user's uncaughtException handler and no wasm handler after ready()", function () {
    const r = runScript(`
      process.on('uncaughtException', (e) => { console.log('user handler: ' + e.message); process.exit(0); });
      const { ready } = await import(BACKEND);
      const info = await ready();
      console.log('backend ' + info.backend + ', handlers ' + process.listeners('uncaughtException').length + '/' + process.listeners('unhandledRejection').length);
      setTimeout(() => { throw new Error('boom'); }, 0);
    `);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /backend wasm, handlers 1\/0/);
    assert.match(r.out, /user handler: boom/);
  });

  it('an uncaught error after ready() exits with code 1 and the error, not 7 and a wasm stack', function () {
    const r = runScript(`
      const { ready } = await import(BACKEND);
      await ready();
      setTimeout(() => { throw new Error('user error'); }, 0);
    `);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /Error: user error/);
  });

  it("useBackend('cpu') right after import stays cpu through ready()", function () {
    const r = runScript(`
      const tf = await import(TF);
      const { ready, useBackend } = await import(BACKEND);
      await useBackend('cpu');
      const info = await ready();
      await new Promise((res) => setTimeout(res, 200));
      console.log(tf.getBackend() + ' ' + info.backend + ' ' + info.tfBackend);
    `);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^cpu cpu cpu$/m);
  });

  it('tf used before ready() settles throws a clear error instead of picking cpu', function () {
    const r = runScript(`
      const tf = await import(TF);
      const { ready } = await import(BACKEND);
      try {
        tf.tensor([1, 2]);
        console.log('ran on ' + tf.getBackend());
      } catch (e) {
        console.log('threw: ' + e.message);
      }
      await ready();
      console.log('then ' + tf.getBackend());
    `);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /threw: .*wasm.* not yet been initialized/);
    assert.match(r.out, /then wasm/);
  });
});
