/**
 * Cross-checks against Debian's Jupyter: `jupyter nbconvert --execute` on the same tslab
 * notebook gives the same outputs as our runner, and our runner drives Debian's ipykernel.
 * Skipped, with the reason printed, where the Debian packages are absent.
 */
import { strict as assert } from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { installKernelSpec } from '../../lib/notebook/kernel-install';
import { readNotebook, writeNotebook, cellTags } from '../../lib/notebook/nbformat';
import { runNotebook } from '../../lib/notebook/run-notebook';
import { referenceOrSkip } from '../helpers/references';
import { FIXTURES, debianPython, livingChildren, nbformatValidate, normalizedNotebook } from './helpers';

const run = promisify(execFile);

type Cell = { cell_type: string; outputs?: Array<Record<string, unknown>> };

/** Outputs per cell with consecutive streams merged (nbclient 0.7 does not merge them). */
function comparableOutputs(file: string): unknown[] {
  const nb = normalizedNotebook(file) as { cells: Cell[] };
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => {
      const merged: Array<Record<string, unknown>> = [];
      for (const o of c.outputs ?? []) {
        const last = merged[merged.length - 1];
        if (o.output_type === 'stream' && last?.output_type === 'stream' && last.name === o.name) {
          last.text = String(last.text) + String(o.text);
        } else merged.push({ ...o });
      }
      // Outputs only: nbclient 0.7 takes execution_count from execute_input, which tslab never
      // sends, so its counts stay null where ours come from the execute_reply.
      return merged;
    });
}

describe('notebook runner vs Debian Jupyter', function () {
  this.timeout(120_000);
  let tmp: string;
  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-debian-'));
  });
  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('jupyter nbconvert --execute gives the same outputs as our runner on a tslab notebook', async function () {
    referenceOrSkip(
      this,
      'Debian jupyter-nbconvert',
      fs.existsSync('/usr/bin/jupyter-nbconvert') && debianPython('nbconvert') !== null,
      'apt-get install jupyter-nbconvert',
    );
    // The outputs fixture without its error cell: after an error tslab aborts requests for
    // 200 ms, which nbclient does not retry (our runner does), so the runs would differ there.
    const nb = readNotebook(path.join(FIXTURES, 'outputs.ipynb'));
    nb.cells = nb.cells.filter(
      (c) => !cellTags(c).includes('raises-exception') && !cellTags(c).includes('skip-execution'),
    );
    const input = path.join(tmp, 'compare.ipynb');
    writeNotebook(input, nb);
    // Our kernel install makes 'tslab' visible to Jupyter through a private JUPYTER_PATH.
    const prefix = path.join(tmp, 'prefix');
    installKernelSpec({ prefix });
    const env = { ...process.env, JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'), JUPYTER_PLATFORM_DIRS: '1' };
    const theirs = path.join(tmp, 'theirs.ipynb');
    await run(
      '/usr/bin/python3',
      ['/usr/bin/jupyter-nbconvert', '--to', 'notebook', '--execute', '--output', theirs, input],
      { env, cwd: tmp },
    );
    const ours = path.join(tmp, 'ours.ipynb');
    const r = await runNotebook(input, { outputPath: ours });
    assert.equal(r.exitCode, 0, r.error?.message);
    const expected = comparableOutputs(theirs);
    assert.ok(JSON.stringify(expected).includes('slow done'), 'nbconvert really executed the notebook');
    assert.deepEqual(comparableOutputs(ours), expected);
    assert.deepEqual(livingChildren(), []);
  });

  it("runs a Python notebook on Debian's ipykernel: clear_output, display updates, errors, results", async function () {
    referenceOrSkip(
      this,
      "Debian python3-ipykernel (kernelspec 'python3')",
      debianPython('ipykernel') !== null && fs.existsSync('/usr/share/jupyter/kernels/python3/kernel.json'),
      'apt-get install python3-ipykernel',
    );
    const out = path.join(tmp, 'python.ipynb');
    const r = await runNotebook(path.join(FIXTURES, 'python.ipynb'), { outputPath: out, parameters: { x: 2 } });
    assert.equal(r.error, null, r.error?.message);
    const cells = readNotebook(out).cells.filter((c) => c.cell_type === 'code');
    const outs = cells.map((c) => c.outputs ?? []);
    assert.equal(cells[1].source, '# Parameters injected by metriclab run\nx = 2');
    assert.deepEqual(outs[2], [{ output_type: 'stream', name: 'stdout', text: '4\nsecond\n' }]);
    // clear_output(wait=True) removed 'gone' when 'kept' arrived; the display was updated from the next cell.
    assert.deepEqual(outs[3], [
      { output_type: 'stream', name: 'stdout', text: 'kept\n' },
      {
        output_type: 'display_data',
        data: { 'text/html': '<i>two</i>', 'text/plain': '<IPython.core.display.HTML object>' },
        metadata: {},
      },
    ]);
    assert.deepEqual(outs[4], [{ output_type: 'stream', name: 'stdout', text: 'after clear\n' }]);
    const err = outs[5][0];
    assert.deepEqual(err.output_type === 'error' && [err.ename, err.evalue], ['ZeroDivisionError', 'division by zero']);
    assert.deepEqual(outs[6], [
      {
        output_type: 'execute_result',
        data: { 'text/plain': '42' },
        metadata: {},
        execution_count: cells[6].execution_count,
      },
    ]);
    const nbformatPy = debianPython('nbformat');
    referenceOrSkip(this, 'Debian python3-nbformat', nbformatPy !== null, 'apt-get install python3-nbformat');
    assert.equal(nbformatValidate(nbformatPy!, [out]), '');
    assert.deepEqual(livingChildren(), []);
  });
});
