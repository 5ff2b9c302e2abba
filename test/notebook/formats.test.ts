import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isNotebookFormatError } from '../../lib/notebook/errors';
import { parseNotebook, readNotebook, serializeNotebook, writeNotebook } from '../../lib/notebook/nbformat';
import { OutputCollector, synthesizeError, type Output } from '../../lib/notebook/outputs';
import { injectParameters, parameterSource, parseParameterValue, pythonLiteral } from '../../lib/notebook/parameters';
import type { JupyterMessage } from '../../lib/notebook/wire';

const FIXTURES = path.join(__dirname, 'fixtures');

function iopub(msgType: string, content: Record<string, unknown>): JupyterMessage {
  return {
    identities: [],
    header: { msg_id: 'm', session: 's', username: 'u', date: '', msg_type: msgType, version: '5.3' },
    parent_header: { msg_id: 'p' },
    metadata: {},
    content,
    buffers: [],
  };
}

describe('notebook/outputs: iopub messages become nbformat outputs like nbclient', function () {
  it('merges consecutive streams of the same name only', function () {
    const c = new OutputCollector();
    const outs: Output[] = [];
    c.handle(outs, iopub('stream', { name: 'stdout', text: 'a\n' }));
    c.handle(outs, iopub('stream', { name: 'stdout', text: 'b\n' }));
    c.handle(outs, iopub('stream', { name: 'stderr', text: 'e\n' }));
    c.handle(outs, iopub('stream', { name: 'stdout', text: 'c\n' }));
    assert.deepEqual(outs, [
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'e\n' },
      { output_type: 'stream', name: 'stdout', text: 'c\n' },
    ]);
  });

  it('clear_output(wait) waits for the next output; no-wait clears at once; status is ignored', function () {
    const c = new OutputCollector();
    const outs: Output[] = [];
    c.handle(outs, iopub('stream', { name: 'stdout', text: 'old\n' }));
    assert.equal(c.handle(outs, iopub('clear_output', { wait: true })), false);
    assert.equal(outs.length, 1, 'deferred: still there');
    c.handle(outs, iopub('status', { execution_state: 'idle' }));
    assert.equal(outs.length, 1, 'a status message is not an output');
    c.handle(outs, iopub('stream', { name: 'stdout', text: 'new\n' }));
    assert.deepEqual(outs, [{ output_type: 'stream', name: 'stdout', text: 'new\n' }]);
    c.handle(outs, iopub('clear_output', { wait: false }));
    assert.deepEqual(outs, []);
  });

  it('update_display_data rewrites the display in an earlier cell and appends nothing', function () {
    const c = new OutputCollector();
    const cell1: Output[] = [];
    const cell2: Output[] = [];
    c.handle(
      cell1,
      iopub('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }),
    );
    c.endCell();
    assert.equal(
      c.handle(
        cell2,
        iopub('update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } }),
      ),
      true,
    );
    assert.deepEqual(cell1, [{ output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: {} }]);
    assert.deepEqual(cell2, []);
    // Once cleared, the display cannot be updated any more (nbclient's clear_display_id_mapping).
    c.handle(cell1, iopub('clear_output', {}));
    assert.equal(
      c.handle(
        cell2,
        iopub('update_display_data', { data: { 'text/plain': 'v3' }, metadata: {}, transient: { display_id: 'd' } }),
      ),
      false,
    );
  });

  it('keeps execute_result counts and error fields', function () {
    const c = new OutputCollector();
    const outs: Output[] = [];
    c.handle(outs, iopub('execute_result', { data: { 'text/plain': '3' }, metadata: {}, execution_count: 4 }));
    c.handle(outs, iopub('error', { ename: 'ValueError', evalue: 'x', traceback: ['t1', 't2'] }));
    assert.deepEqual(outs, [
      { output_type: 'execute_result', data: { 'text/plain': '3' }, metadata: {}, execution_count: 4 },
      { output_type: 'error', ename: 'ValueError', evalue: 'x', traceback: ['t1', 't2'] },
    ]);
  });

  it('synthesizes error outputs from tslab stderr: thrown errors and TypeScript diagnostics', function () {
    const thrown = synthesizeError(
      "evalmachine.<anonymous>:2\nthrow new RangeError('bad');\n^\n\nRangeError: bad\n    at evalmachine.<anonymous>:2:7\n    at Script.runInThisContext (node:vm:135:14)\n",
    );
    assert.equal(thrown.ename, 'RangeError');
    assert.equal(thrown.evalue, 'bad');
    assert.ok(!thrown.traceback.some((l) => l.includes('node:vm')), 'tslab/vm frames are dropped');
    const plain = synthesizeError('Error: boom\n');
    assert.deepEqual([plain.ename, plain.evalue], ['Error', 'boom']);
    const ts = synthesizeError("1:7 - Type 'string' is not assignable to type 'number'.\n");
    assert.equal(ts.ename, 'TypeScriptError');
    assert.equal(ts.evalue, "1:7 - Type 'string' is not assignable to type 'number'.");
    assert.equal(synthesizeError('\u001b[31mweird\u001b[0m').evalue, 'weird', 'ANSI stripped');
  });
});

describe('notebook/nbformat: read 4.x, write 4.5 like nbformat', function () {
  it('reads a 4.4 notebook, adds unique cell ids and joins line lists', function () {
    const nb = readNotebook(path.join(FIXTURES, 'tiny.ipynb'));
    assert.equal(nb.nbformat_minor, 5);
    assert.equal(nb.cells.length, 2);
    assert.ok(
      nb.cells.every((c) => /^[0-9a-f]{8}$/.test(c.id)),
      'ids are 8 hex characters',
    );
    assert.notEqual(nb.cells[0].id, nb.cells[1].id);
    assert.equal(nb.cells[1].source, 'console.log(n * 21);');
  });

  it('writes sorted keys, indent 1, split lines and a trailing newline; atomically', function () {
    const nb = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { z: 1, a: 2 },
        cells: [
          {
            id: 'abc',
            cell_type: 'code',
            source: 'a\nb',
            metadata: {},
            outputs: [{ output_type: 'stream', name: 'stdout', text: 'x\ny\n' }],
            execution_count: 1,
          },
        ],
      }),
      'mem.ipynb',
    );
    const text = serializeNotebook(nb);
    assert.ok(text.endsWith('}\n'), 'trailing newline');
    assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type": "code",'), 'indent 1, keys sorted');
    const back = JSON.parse(text) as {
      metadata: Record<string, number>;
      cells: Array<{ source: string[]; outputs: Array<{ text: string[] }> }>;
    };
    assert.deepEqual(Object.keys(back.metadata), ['a', 'z']);
    assert.deepEqual(back.cells[0].source, ['a\n', 'b']);
    assert.deepEqual(back.cells[0].outputs[0].text, ['x\n', 'y\n']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nbfmt-'));
    const file = path.join(dir, 'sub', 'a.ipynb');
    writeNotebook(file, nb);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['a.ipynb'], 'no temp file left behind');
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    fs.rmSync(dir, { recursive: true });
  });

  it('reports malformed JSON and wrong versions naming the file', function () {
    assert.throws(
      () => readNotebook(path.join(FIXTURES, 'malformed.ipynb')),
      (e: unknown) =>
        isNotebookFormatError(e) &&
        /malformed\.ipynb must be an nbformat 4 notebook, but it is not valid JSON/.test(e.message),
    );
    assert.throws(
      () => parseNotebook('{"nbformat": 2, "cells": []}', 'old.ipynb'),
      /old\.ipynb must be an nbformat 4 notebook, but its nbformat is 2 \(4 is read, 3 is upgraded\)/,
    );
    assert.throws(
      () => parseNotebook('{"nbformat": 3, "cells": []}', 'old3.ipynb'),
      /old3\.ipynb must be an nbformat 4 notebook, but it is nbformat 3 without a 'worksheets' array/,
    );
    assert.throws(
      () => parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "x"}]}', 'c.ipynb'),
      /cell 1 has cell_type "x"/,
    );
  });
});

describe('notebook/parameters: papermill-style injection', function () {
  it('parses values as JSON when possible, else strings', function () {
    assert.deepEqual(['5', 'true', 'null', '[1,2]', 'quick', '"q"'].map(parseParameterValue), [
      5,
      true,
      null,
      [1, 2],
      'quick',
      'q',
    ]);
  });

  it('injects after the parameters cell, reusing keyword and type annotation, replacing an old injection', function () {
    const nb = readNotebook(path.join(FIXTURES, 'outputs.ipynb'));
    const once = injectParameters(nb, { greeting: 'hi' }, 'typescript');
    const twice = injectParameters(once, { greeting: 'yo' }, 'typescript');
    assert.equal(twice.cells.length, nb.cells.length + 1, 'one injected cell, not two');
    assert.deepEqual(twice.cells[2].metadata.tags, ['injected-parameters']);
    assert.equal(twice.cells[2].source, '// Parameters injected by metriclab run\nlet greeting: string = "yo";');
    assert.equal(nb.cells.length, 11, 'the input notebook object is not modified');
    assert.equal(
      parameterSource('typescript', { profile: 'full' }, "const profile: 'quick' | 'full' = 'quick';"),
      "// Parameters injected by metriclab run\nconst profile: 'quick' | 'full' = \"full\";",
    );
  });

  it('renders Python literals', function () {
    assert.equal(pythonLiteral({ a: [1, true, null, 'x'] }), '{"a": [1, True, None, "x"]}');
    assert.equal(parameterSource('python', { n: 3 }), '# Parameters injected by metriclab run\nn = 3');
    assert.throws(
      () => parameterSource('python', { 'bad-name': 1 }),
      /parameter names must be identifiers, but got 'bad-name'/,
    );
  });
});
