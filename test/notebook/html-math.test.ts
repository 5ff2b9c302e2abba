/**
 * Math in the static site: $…$ and $$…$$ in markdown cells become MathML (rendered by browsers
 * without fonts or network); code spans keep their '$' and formulas keep their underscores.
 */
import { strict as assert } from 'assert';
import { notebookToHtml } from '../../lib/notebook/html';
import { parseNotebook } from '../../lib/notebook/nbformat';

function markdownNotebook(source: string) {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: 'markdown', id: 'm1', metadata: {}, source }],
  };
  return parseNotebook(JSON.stringify(nb), 'math.ipynb');
}

describe('notebook runner: HTML export of math', () => {
  it('renders inline and display math as MathML and leaves code spans alone', async () => {
    const html = await notebookToHtml(
      markdownNotebook(
        'The loss $[d_{ap}-d_{an}+m]_+$ per triplet:\n\n$$\\mathcal{L}=\\frac{1}{|T|}\\sum_{(a,p,n)} \\ell_{apn}$$\n\nIn code: `${margin}` costs $5 only in prose.',
      ),
      'math',
    );
    const maths = html.match(/<math /g) ?? [];
    assert.equal(maths.length, 2, html);
    assert.match(html, /<math [^>]*display="block"/);
    assert.match(html, /<annotation encoding="application\/x-tex">\[d_\{ap\}-d_\{an\}\+m\]_\+<\/annotation>/);
    assert.match(html, /<code>\$\{margin\}<\/code>/, 'a code span keeps its $');
    assert.doesNotMatch(html, /<em>/, 'underscores inside formulas are not emphasis');
    assert.doesNotMatch(html, /MATHPLACEHOLDER/);
  });

  it('shows a formula KaTeX cannot parse as source instead of failing the page', async () => {
    const html = await notebookToHtml(markdownNotebook('Broken: $\\frac{a$ here'), 'bad');
    assert.match(html, /\\frac\{a/);
  });
});
