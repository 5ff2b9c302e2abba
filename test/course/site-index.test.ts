/**
 * The site's index lists each notebook's question and the headline its run printed, read from
 * the cells tagged 'question' and 'headline' of the executed notebook.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notebookSummary, writeSite } from '../../lib/notebook/html';
import { parseNotebook } from '../../lib/notebook/nbformat';

function executed(headlineOutputs: unknown[]) {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        cell_type: 'markdown',
        id: 'q',
        metadata: { tags: ['question'] },
        source: '# 01 · Title\n\n> **Interview question.** *"Softmax or triplet?"*',
      },
      { cell_type: 'markdown', id: 'other', metadata: {}, source: '> not the question' },
      {
        cell_type: 'code',
        id: 'h',
        execution_count: 3,
        metadata: { tags: ['headline'] },
        source: 'tslab.display.markdown(answer)',
        outputs: headlineOutputs,
      },
    ],
  };
  return parseNotebook(JSON.stringify(nb), 'x.ipynb');
}

describe('course: site index question and headline', () => {
  it('reads the quoted question and the markdown the headline cell displayed', () => {
    const s = notebookSummary(
      executed([
        { output_type: 'display_data', metadata: {}, data: { 'text/markdown': '**pixels 0.608**, triplet 0.456' } },
      ]),
    );
    assert.equal(s.question, '*"Softmax or triplet?"*');
    assert.equal(s.headline, '**pixels 0.608**, triplet 0.456');
  });

  it('falls back to printed text, and leaves the headline out when the cell has no output', () => {
    assert.equal(
      notebookSummary(executed([{ output_type: 'stream', name: 'stdout', text: 'MAP@R 0.5\n' }])).headline,
      'MAP@R 0.5',
    );
    assert.equal(notebookSummary(executed([])).headline, undefined);
  });

  it('puts both on the index page, rendered as markdown', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-index-'));
    try {
      const nb = executed([
        { output_type: 'display_data', metadata: {}, data: { 'text/markdown': '**pixels 0.608**' } },
      ]);
      const index = await writeSite(dir, [{ notebook: nb, name: '01-x', ok: true, seconds: 1 }]);
      const html = fs.readFileSync(index, 'utf8');
      assert.match(html, /<th>Question<\/th><th>What this run found<\/th>/);
      assert.match(html, /<strong>pixels 0\.608<\/strong>/);
      assert.match(html, /Softmax or triplet\?/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
