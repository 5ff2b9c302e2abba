/**
 * The runner under the faults CI meets (issue 17's table), on real kernels: unwritable output,
 * a flood of output, lost and unreadable messages (injected by patching the decoder, not hoped
 * for from load), a failing save, SIGINT/SIGTERM, start-up crashes, shutdown of a kernel that
 * never replies. No kernel or connection file outlives any test.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../lib/cli/run';
import { isIopubTimeoutError, isOutputWriteError } from '../../lib/notebook/errors';
import { Kernel } from '../../lib/notebook/kernel';
import { builtinTslabSpec, findKernelSpec } from '../../lib/notebook/kernelspec';
import { readNotebook } from '../../lib/notebook/nbformat';
import { formatFailure } from '../../lib/notebook/report';
import { runNotebook } from '../../lib/notebook/run-notebook';
import { MessageCodec, type JupyterMessage } from '../../lib/notebook/wire';
import { referenceOrSkip } from '../helpers/references';
import { ROOT, captureIo, debianPython, livingChildren, writeCodeNotebook } from './helpers';

type Decode = MessageCodec['decode'];

/** Runs `body` with MessageCodec.decode replaced by `fault(original result)`. */
async function withDecodeFault<T>(
  fault: (msg: JupyterMessage | null) => JupyterMessage | null,
  body: () => Promise<T>,
): Promise<T> {
  const original: Decode = MessageCodec.prototype.decode;
  MessageCodec.prototype.decode = function (this: MessageCodec, ...args: Parameters<Decode>) {
    return fault(original.apply(this, args));
  };
  try {
    return await body();
  } finally {
    MessageCodec.prototype.decode = original;
  }
}

const connectionDirs = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.startsWith('metriclab-kernel-'));

describe('notebook runner under faults', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-faults-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  afterEach(function () {
    assert.deepEqual(livingChildren(), [], 'no kernel process outlives its run');
  });

  it('an unwritable --out (/proc, a path under a file) fails with exit 2 at once, before any kernel starts', async function () {
    const nb = writeCodeNotebook(path.join(tmp, 'w', 'tiny.ipynb'), ['console.log(1)']);
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    for (const out of ['/proc/x', path.join(file, 'sub')]) {
      const io = captureIo();
      const t0 = Date.now();
      assert.equal(await runCli([nb, '--out', out], io), 2);
      assert.match(io.stderr(), /OutputWriteError[\s\S]*cannot write the executed notebook to .*tiny\.ipynb: E[A-Z]+/);
      assert.match(io.stdout(), /0 cells in/, 'no cell ran');
      assert.ok(Date.now() - t0 < 20_000, 'no hang');
    }
  });

  it('a flood of output (2 MB, then 10,000 lines) arrives whole, with throttled saves', async function () {
    const nb = writeCodeNotebook(path.join(tmp, 'flood', 'flood.ipynb'), [
      "console.log('x'.repeat(2_000_000)); for (let i = 0; i < 300; i++) console.log('small ' + i);",
      'for (let i = 0; i < 10000; i++) console.log(i);',
    ]);
    const out = path.join(tmp, 'flood-out.ipynb');
    const r = await runNotebook(nb, { outputPath: out });
    assert.equal(r.error, null, r.error?.message);
    const text = (i: number): string =>
      (readNotebook(out).cells[i].outputs ?? []).map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
    assert.equal(text(1), Array.from({ length: 10000 }, (_, i) => `${i}\n`).join(''), 'every line, in order');
    assert.equal(
      text(0).length,
      2_000_001 + Array.from({ length: 300 }, (_, i) => `small ${i}\n`.length).reduce((a, b) => a + b),
    );
    // One save per cell end, one at exit, the first request's save at once (nothing written yet),
    // then at most one per second: unthrottled, this flood would give thousands.
    assert.ok(r.saves <= 4 + Math.ceil(r.seconds), `${r.saves} saves in ${r.seconds.toFixed(1)} s`);
  });

  it("a lost 'idle' status ends the cell after the iopub timeout with a clear error, exit 3", async function () {
    const nb = writeCodeNotebook(path.join(tmp, 'lost', 'lost.ipynb'), [
      "console.log('before')",
      "console.log('LOSE-IDLE')",
      "console.log('never')",
    ]);
    let poisoned = '';
    const r = await withDecodeFault(
      (m) => {
        // Drop the idle status of the second cell's request, as an overflowing ZeroMQ queue would.
        // tslab sends no execute_input; the cell's stream comes before its idle on the same socket.
        if (m?.header.msg_type === 'stream' && String(m.content.text).includes('LOSE-IDLE'))
          poisoned = m.parent_header.msg_id ?? '';
        const dropped =
          m?.header.msg_type === 'status' &&
          m.content.execution_state === 'idle' &&
          m.parent_header.msg_id === poisoned;
        return dropped ? null : m;
      },
      () => runNotebook(nb, { outputPath: path.join(tmp, 'lost-out.ipynb'), iopubTimeout: 1 }),
    );
    assert.ok(poisoned, 'the cell printed its marker');
    assert.ok(isIopubTimeoutError(r.error), `IopubTimeoutError expected, got ${r.error?.name}`);
    assert.equal(r.exitCode, 3);
    assert.match(
      formatFailure(r),
      /in cell 2:[\s\S]*no 'idle' status on iopub within 1 s after the execute_reply: output messages were lost/,
    );
    const cells = readNotebook(path.join(tmp, 'lost-out.ipynb')).cells;
    assert.deepEqual(cells[1].metadata.metriclab, {
      status: 'lost',
      exception: { ename: 'IopubTimeoutError', evalue: (r.error as { detail: string }).detail },
    });
    assert.equal(cells[2].execution_count, null, 'the run stopped there');
  });

  it('a message the reader cannot handle is reported, not swallowed: the cell fails with the reason', async function () {
    const nb = writeCodeNotebook(path.join(tmp, 'poison', 'poison.ipynb'), [
      "console.log('POISON')",
      "console.log('never')",
    ]);
    const r = await withDecodeFault(
      (m) => {
        if (m?.header.msg_type === 'stream' && String(m.content.text).includes('POISON'))
          throw new Error('injected decoder fault');
        return m;
      },
      () => runNotebook(nb, { outputPath: path.join(tmp, 'poison-out.ipynb') }),
    );
    assert.ok(isIopubTimeoutError(r.error), `IopubTimeoutError expected, got ${r.error?.name}`);
    assert.match(
      r.error.message,
      /cell 1: the kernel's messages could not be read: a message on iopub could not be handled: injected decoder fault/,
    );
    assert.equal(r.exitCode, 3);
  });

  it('a save that fails mid-run stops the run with exit 2 and says why', async function () {
    const nb = writeCodeNotebook(path.join(tmp, 'save', 'save.ipynb'), [
      "console.log('one')",
      "console.log('two')",
      "console.log('three')",
    ]);
    const outDir = path.join(tmp, 'save-out');
    const r = await runNotebook(nb, {
      outputPath: path.join(outDir, 'save.ipynb'),
      onCellStart: (e) => {
        // The output folder turns into a file under the runner's feet.
        if (e.cellIndex === 1) {
          fs.rmSync(outDir, { recursive: true });
          fs.writeFileSync(outDir, 'not a folder');
        }
      },
    });
    assert.ok(isOutputWriteError(r.error), `OutputWriteError expected, got ${r.error?.name}: ${r.error?.message}`);
    assert.match(
      r.error.message,
      /cannot write the executed notebook to .*save\.ipynb: a save failed: (ENOTDIR|EEXIST)/,
    );
    assert.equal(r.exitCode, 2);
    assert.equal(r.cellsRun, 2, 'the run stopped after the cell whose save failed');
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal}: the cell is interrupted and marked, the kernel stopped, the partial notebook written, exit ${code}`, async function () {
      const dir = path.join(tmp, signal);
      const marker = path.join(dir, 'cell2-started');
      const nb = writeCodeNotebook(path.join(dir, 'busy.ipynb'), [
        "console.log('KERNEL_PID=' + process.pid)",
        `require('fs').writeFileSync(${JSON.stringify(marker)}, ''); const end = Date.now() + 60_000; while (Date.now() < end) {}`,
        "console.log('never')",
      ]);
      const privateTmp = path.join(dir, 'tmp');
      fs.mkdirSync(privateTmp);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'run-cli.ts'), nb, '--out', path.join(dir, 'out'), '--log-output'],
        {
          cwd: ROOT,
          env: { ...process.env, TMPDIR: privateTmp },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      const t0 = Date.now();
      while (!fs.existsSync(marker) && Date.now() - t0 < 90_000) await new Promise((r) => setTimeout(r, 100));
      assert.ok(fs.existsSync(marker), `cell 2 started (stderr: ${stderr})`);
      child.kill(signal);
      assert.equal(await exited, code, stderr);
      const kernelPid = Number(/KERNEL_PID=(\d+)/.exec(stdout)?.[1]);
      assert.ok(kernelPid > 0, stdout);
      assert.throws(() => process.kill(kernelPid, 0), /ESRCH/, 'the kernel is gone');
      assert.deepEqual(connectionDirs(privateTmp), [], 'connection files removed');
      assert.match(
        stderr,
        new RegExp(`${signal}: interrupting running cells, stopping kernels, saving partial notebooks`),
      );
      assert.match(stderr, new RegExp(`RunInterruptedError[\\s\\S]*stopped by ${signal} while cell 2 ran`));
      const cells = readNotebook(path.join(dir, 'out', 'busy.ipynb')).cells;
      const first = (cells[0].outputs ?? [])[0];
      assert.match(first?.output_type === 'stream' ? first.text : '', /^KERNEL_PID=\d+\n$/, 'cell 1 was saved');
      const marked = cells[1].metadata.metriclab as { status: string; exception: { ename: string; evalue: string } };
      assert.equal(marked.status, 'interrupted');
      assert.equal(marked.exception.ename, 'RunInterrupted');
      assert.match(marked.exception.evalue, new RegExp(`stopped by ${signal} while this cell ran`));
      assert.equal(cells[2].execution_count, null);
    });
  }

  it('a kernel that crashes at start-up: its stderr is in the report, exit 3', async function () {
    const jp = path.join(tmp, 'jp');
    const spec = path.join(jp, 'kernels', 'crashy');
    fs.mkdirSync(spec, { recursive: true });
    const argv = [
      process.execPath,
      '-e',
      "console.error('ModuleNotFoundError: no module named kernel_dep'); process.exit(7)",
      '{connection_file}',
    ];
    fs.writeFileSync(
      path.join(spec, 'kernel.json'),
      JSON.stringify({ argv, display_name: 'crashy', language: 'python' }),
    );
    const nb = writeCodeNotebook(path.join(tmp, 'crashy', 'c.ipynb'), ['1'], 'crashy');
    const saved = process.env.JUPYTER_PATH;
    process.env.JUPYTER_PATH = jp;
    try {
      const io = captureIo();
      assert.equal(await runCli([nb, '--out', path.join(tmp, 'crashy-out')], io), 3);
      assert.match(io.stderr(), /did not start: the process exited during start-up \(exit code 7/);
      assert.match(io.stderr(), /kernel output \(last lines\):\n\s+ModuleNotFoundError: no module named kernel_dep/);
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_PATH;
      else process.env.JUPYTER_PATH = saved;
    }
  });

  it('shutdown ends when tslab exits, without waiting for the reply tslab never sends', async function () {
    const kernel = await Kernel.start(builtinTslabSpec(), { cwd: tmp });
    assert.equal(await kernel.shutdown(60_000), 'exit');
    assert.ok(kernel.process.exit, 'the process is gone');
  });

  it('ipykernel gets JPY_PARENT_PID and keeps its history in memory', async function () {
    const py = debianPython('ipykernel');
    let ipykernel = false;
    try {
      ipykernel = !!py && findKernelSpec('python3').argv.length > 0;
    } catch {
      ipykernel = false;
    }
    referenceOrSkip(
      this,
      "Debian python3-ipykernel (kernelspec 'python3')",
      ipykernel,
      'apt-get install python3-ipykernel',
    );
    const nb = writeCodeNotebook(
      path.join(tmp, 'py', 'env.ipynb'),
      ["import os\nprint(os.environ.get('JPY_PARENT_PID'), get_ipython().history_manager.hist_file)"],
      'python3',
    );
    const out = path.join(tmp, 'py-out.ipynb');
    const r = await runNotebook(nb, { outputPath: out });
    assert.equal(r.error, null, r.error?.message);
    const o = readNotebook(out).cells[0].outputs?.[0];
    assert.equal(o?.output_type === 'stream' && o.text, `${process.pid} :memory:\n`);
  });
});
