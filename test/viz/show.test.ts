/**
 * Notebook display: inside a (simulated) tslab kernel, show() sends one display_data bundle with
 * a PNG and optionally the vega-lite spec; outside a kernel it saves or prints a note. The
 * simulation registers a module at .../tslab/dist/jupyter.js in require.cache whose
 * `lastWriteDisplayData` records what it is given, which is how tslab's own `display` reaches
 * the kernel.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import { compileSpec, formatTable, recallAtKBars, show, showTable } from '../../lib/viz';
import { decodePng } from './helpers';

interface Sent {
  content: { data: Record<string, unknown>; metadata: Record<string, unknown> };
  update: boolean;
}

const FAKE_KERNEL = path.join(os.tmpdir(), 'fake-kernel', 'node_modules', 'tslab', 'dist', 'jupyter.js');

function withFakeKernel(): Sent[] {
  const sent: Sent[] = [];
  const mod = new Module(FAKE_KERNEL);
  mod.filename = FAKE_KERNEL;
  mod.loaded = true;
  mod.exports = { lastWriteDisplayData: (content: Sent['content'], update: boolean) => sent.push({ content, update }) };
  require.cache[FAKE_KERNEL] = mod;
  return sent;
}

/** Runs fn with console.log captured; returns the lines it printed. */
async function captureLog(fn: () => unknown): Promise<string[]> {
  const logged: string[] = [];
  const log = console.log;
  console.log = (...m: unknown[]) => logged.push(m.join(' '));
  try {
    await fn();
  } finally {
    console.log = log;
  }
  return logged;
}

const spec = recallAtKBars([{ method: 'triplet', k: 1, recall: 0.8 }], { title: 'R' });

describe('viz show', function () {
  afterEach(function () {
    delete require.cache[FAKE_KERNEL];
  });

  it('outside a kernel: writes the PNG when given a file, else prints a note', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'viz-show-'));
    const file = path.join(dir, 'sub', 'r.png');
    assert.deepEqual(await captureLog(() => show(spec, { file, scale: 1 })), [], 'saved quietly');
    const png = decodePng(fs.readFileSync(file));
    assert.ok(png.width > 100 && png.height > 100, `${png.width}x${png.height}`);
    const logged = await captureLog(() => show(spec));
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^\[show\] <R: \d+x\d+ PNG> not displayed: not in a notebook kernel/);
    fs.rmSync(dir, { recursive: true });
  });

  it('in a kernel: one display_data bundle with the PNG at CSS size, plus the live spec when interactive', async function () {
    const sent = withFakeKernel();
    assert.deepEqual(await captureLog(() => show(spec, { scale: 2 })), []);
    assert.equal(sent.length, 1);
    const { data, metadata } = sent[0].content;
    assert.equal(sent[0].update, false);
    assert.deepEqual(Object.keys(data).sort(), ['image/png', 'text/plain']);
    const png = decodePng(Buffer.from(data['image/png'] as string, 'base64'));
    assert.equal(data['text/plain'], `<R: ${png.width}x${png.height} PNG>`);
    assert.deepEqual(metadata, { 'image/png': { width: png.width / 2, height: png.height / 2 } });

    await show(spec, { interactive: true });
    const live = sent[1].content.data['application/vnd.vegalite.v5+json'] as Record<string, unknown>;
    assert.equal(typeof live, 'object', 'the spec travels as JSON, not as a string');
    assert.equal(live.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
    await compileSpec(live as never);
    assert.ok(sent[1].content.data['image/png'], 'the static PNG is still there for viewers without vega');
  });

  it('formatTable: aligned text (numbers right, text left) and escaped HTML', function () {
    const rows = [
      { method: 'raw <pixels>', 'R@1': 0.71234, n: 10 },
      { method: 'triplet', 'R@1': 0.8, n: 200 },
    ];
    const { html, text } = formatTable(rows, { digits: 2 });
    // Widths 12, 4, 3; two spaces between columns; 'R@1' and 'n' are numeric so right-aligned.
    const header = 'method' + ' '.repeat(6) + '  ' + ' R@1' + '  ' + '  n';
    assert.equal(
      text,
      [header, '------------  ----  ---', 'raw <pixels>  0.71   10', 'triplet       0.80  200'].join('\n'),
    );
    assert.match(html, /<th>method<\/th><th style="text-align:right">R@1<\/th>/);
    assert.match(html, /<td>raw &lt;pixels&gt;<\/td><td style="text-align:right">0.71<\/td>/);
    assert.equal((html.match(/<tr>/g) ?? []).length, 3);
  });

  it('showTable: HTML with a text fallback in a kernel, text on the console outside', async function () {
    const rows = [{ a: 1, b: 'x' }];
    const sent = withFakeKernel();
    assert.deepEqual(await captureLog(() => showTable(rows)), []);
    assert.deepEqual(Object.keys(sent[0].content.data).sort(), ['text/html', 'text/plain']);
    delete require.cache[FAKE_KERNEL];
    assert.deepEqual(await captureLog(() => showTable(rows)), [formatTable(rows).text]);
  });
});
