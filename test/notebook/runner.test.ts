/**
 * The runner against the real tslab kernel. Kernel starts cost seconds each, so every test
 * runs one notebook once and checks everything about that run.
 */
import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../lib/cli/run';
import { isCellTimeoutError } from '../../lib/notebook/errors';
import { readNotebook } from '../../lib/notebook/nbformat';
import type { ErrorOutput } from '../../lib/notebook/outputs';
import { runNotebook } from '../../lib/notebook/run-notebook';
import { referenceOrSkip } from '../helpers/references';
import { FIXTURES, captureIo, debianPython, livingChildren, nbformatValidate, normalizedNotebook } from './helpers';

const fixture = (name: string): string => path.join(FIXTURES, name);
const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function streamText(file: string, cellIndex: number): string {
  const cell = readNotebook(file).cells[cellIndex];
  return (cell.outputs ?? []).map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
}

describe('notebook runner on tslab', function () {
  this.timeout(120_000);
  let tmp: string;
  const written: string[] = [];

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-runner-'));
  });
  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(function () {
    assert.deepEqual(livingChildren(), [], 'no kernel process outlives its run');
  });

  it('prints, displays, display updates, an expected error and a slow cell match the golden notebook', async function () {
    const out = path.join(tmp, 'outputs.ipynb');
    const before = sha(fixture('outputs.ipynb'));
    const events: string[] = [];
    const r = await runNotebook(fixture('outputs.ipynb'), {
      outputPath: out,
      parameters: { greeting: 'hi' },
      onCellStart: (e) => events.push(`start ${e.cellIndex}`),
      onCellDone: (e) => events.push(`done ${e.cellIndex} ${e.status}`),
    });
    written.push(out);
    assert.equal(r.error, null, `no error expected, got ${r.error?.message}`);
    assert.equal(r.exitCode, 0);
    assert.equal(sha(fixture('outputs.ipynb')), before, 'the input is untouched');
    const golden = JSON.parse(fs.readFileSync(fixture('outputs.golden.json'), 'utf8')) as unknown;
    assert.deepEqual(normalizedNotebook(out), golden);
    // 9 code cells run (injected one included); the skip-execution and empty cells are not.
    assert.equal(r.cellsRun, 9);
    assert.equal(events.filter((e) => e.startsWith('start')).length, 9);
    assert.ok(events.includes('done 7 error'), `the raises-exception cell reports its error: ${events.join(', ')}`);
    const timing = readNotebook(out).cells[8].metadata.execution as Record<string, string>;
    const busy = Date.parse(timing['iopub.status.busy']);
    const idle = Date.parse(timing['iopub.status.idle']);
    assert.ok(idle - busy >= 1400, `the slow cell's busy->idle spans its 1.5 s sleep (got ${idle - busy} ms)`);
    assert.equal(r.rejectedMessages, 0);
  });

  it('a failing cell: exit 1, a report naming notebook, cell, source and error, JUnit failure, later cells not run', async function () {
    const io = captureIo();
    const junit = path.join(tmp, 'junit.xml');
    const code = await runCli([fixture('error.ipynb'), '--out', tmp, '--junit', junit], io);
    written.push(path.join(tmp, 'error.ipynb'));
    assert.equal(code, 1);
    const report = io.stderr();
    assert.match(report, /error\.ipynb: CellExecutionError/);
    assert.match(report, /in cell 2:\n {4}const x: number = 1;\n {4}console\.log\('about to fail'\);/);
    assert.match(report, /RangeError: value out of range/);
    assert.ok(!report.includes('\u001b['), 'no ANSI codes when not on a terminal');
    assert.match(io.stdout(), /\[1\/1\] .*error\.ipynb: FAILED \(cell error\), 2 cells in/);
    const nb = readNotebook(path.join(tmp, 'error.ipynb'));
    const err = nb.cells[1].outputs?.find((o): o is ErrorOutput => o.output_type === 'error');
    assert.deepEqual(err && [err.ename, err.evalue], ['RangeError', 'value out of range']);
    assert.equal(nb.cells[2].execution_count, null, 'cell 3 never ran');
    const xml = fs.readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuites name="metriclab run" tests="1" failures="1" errors="0"/);
    assert.match(xml, /<failure type="CellExecutionError" message="RangeError: value out of range">/);
  });

  it('--allow-errors records the error and runs the rest (tslab\'s post-error "abort" is retried)', async function () {
    const io = captureIo();
    const out = path.join(tmp, 'allow');
    assert.equal(await runCli([fixture('error.ipynb'), '--allow-errors', '--out', out], io), 0, io.stderr());
    assert.equal(streamText(path.join(out, 'error.ipynb'), 2), 'after\n');
  });

  it('a timeout interrupts the cell (SIGINT reaches a sync loop): error output, exit 3', async function () {
    const io = captureIo();
    const t0 = Date.now();
    const code = await runCli([fixture('timeout.ipynb'), '--timeout', '2', '--out', tmp], io);
    written.push(path.join(tmp, 'timeout.ipynb'));
    assert.equal(code, 3);
    assert.ok(Date.now() - t0 < 30_000, 'the run does not hang');
    assert.match(io.stderr(), /in cell 2:[\s\S]*cell 2 timed out after 2 s \(interrupted\)/);
    const nb = readNotebook(path.join(tmp, 'timeout.ipynb'));
    const errors = (nb.cells[1].outputs ?? []).filter((o) => o.output_type === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].output_type === 'error' && errors[0].ename, 'CellTimeoutError');
    assert.equal(nb.cells[2].execution_count, null);
  });

  it('a cell SIGINT cannot stop (async busy loop) is timed out by killing the kernel', async function () {
    const r = await runNotebook(fixture('async-hang.ipynb'), { timeout: 2, outputPath: path.join(tmp, 'hang.ipynb') });
    assert.ok(isCellTimeoutError(r.error), `timeout expected, got ${r.error?.name}`);
    assert.equal(r.error.interrupted, false);
    assert.equal(r.exitCode, 3);
  });

  it('a cell that kills the kernel: dead kernel reported, partial notebook written, exit 3', async function () {
    const io = captureIo();
    const code = await runCli([fixture('crash.ipynb'), '--out', tmp], io);
    assert.equal(code, 3);
    assert.match(
      io.stderr(),
      /KernelDiedError[\s\S]*in cell 2:\n {4}process\.exit\(7\);[\s\S]*the kernel died while running cell 2 \(exit code 7\)/,
    );
    const out = path.join(tmp, 'crash.ipynb');
    written.push(out);
    assert.equal(streamText(out, 0), 'alive\n', 'the partial run is on disk');
    const died = readNotebook(out).cells[1].outputs?.find((o) => o.output_type === 'error');
    assert.equal(died?.output_type === 'error' && died.ename, 'DeadKernelError');
  });

  it('malformed JSON: exit 2 before any kernel starts, input untouched, nothing written', async function () {
    const before = sha(fixture('malformed.ipynb'));
    const io = captureIo();
    const out = path.join(tmp, 'malformed-out');
    assert.equal(await runCli([fixture('malformed.ipynb'), '--out', out], io), 2);
    assert.match(io.stderr(), /malformed\.ipynb must be an nbformat 4 notebook, but it is not valid JSON/);
    assert.equal(sha(fixture('malformed.ipynb')), before);
    assert.ok(!fs.existsSync(out));
    // Nothing was written, so neither the report nor the progress line may point at a file.
    assert.doesNotMatch(io.stderr() + io.stdout(), /partial notebook written|-> .*malformed\.ipynb/);
    const usage = captureIo();
    assert.equal(await runCli(['--jobs', '0', 'x.ipynb'], usage), 2);
    assert.match(usage.stderr(), /--jobs must be a positive integer, but got 0/);
  });

  it('4 notebooks with --jobs 2 and a parameter all succeed', async function () {
    const dir = path.join(tmp, 'jobs');
    fs.mkdirSync(dir);
    const inputs = [1, 2, 3, 4].map((i) => {
      const f = path.join(dir, `tiny${i}.ipynb`);
      fs.copyFileSync(fixture('tiny.ipynb'), f);
      return f;
    });
    const io = captureIo();
    const out = path.join(dir, 'out');
    const code = await runCli([...inputs, '--jobs', '2', '-p', 'n', '3', '--out', out], io);
    assert.equal(code, 0, io.stderr());
    assert.equal((io.stdout().match(/: ok, 3 cells/g) ?? []).length, 4, io.stdout());
    for (let i = 1; i <= 4; i++) {
      const f = path.join(out, `tiny${i}.ipynb`);
      written.push(f);
      assert.equal(streamText(f, 2), '63\n', `tiny${i}: n = 3 was injected`);
    }
  });

  it('the written notebooks validate with Debian nbformat', function () {
    const py = debianPython('nbformat');
    referenceOrSkip(this, 'Debian python3-nbformat', py !== null, 'apt-get install python3-nbformat');
    assert.ok(written.length >= 6, `notebooks were written (${written.length})`);
    assert.equal(nbformatValidate(py!, written), '');
  });
});
