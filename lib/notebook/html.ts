/**
 * Static HTML export without nbconvert: one self-contained page per executed notebook (markdown
 * via `marked` with $…$ / $$…$$ math rendered by KaTeX as MathML, code highlighted by
 * highlight.js, outputs with PNG/JPEG/SVG images inlined as data URLs, HTML as is) and an index
 * page linking them. Pages need no network and no fonts: browsers render MathML natively.
 */
import * as fs from 'fs';
import * as path from 'path';
import hljs from 'highlight.js';
import katex from 'katex';
import { cellTags, makeDirs, type Notebook } from './nbformat';
import type { RunResult } from './run-notebook';
import { stripAnsi, type MimeBundle, type Output } from './outputs';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; }
.cell { margin: 1em 0; }
.code pre.source { background: #f6f8fa; border-left: 3px solid #8ab; padding: .6em; overflow-x: auto; }
.prompt { color: #888; font: 12px monospace; }
.output pre { margin: .3em 0; padding: .4em; overflow-x: auto; }
.stderr { background: #fff4f4; }
.error { background: #fdd; }
.output img { max-width: 100%; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 6px; }
.ok { color: #080; } .failed { color: #b00; }
`;

function hljsCss(): string {
  try {
    return fs.readFileSync(require.resolve('highlight.js/styles/github.css'), 'utf8');
  } catch {
    return '';
  }
}

type MarkdownRenderer = (md: string) => string;

/** Code spans and fences, which may contain a literal '$' (template strings) and are left alone. */
const CODE = /(```[\s\S]*?```|`[^`\n]*`)/;
/** Display math first ($$…$$, may span lines), then inline math ($…$ on one line, not '$ '). */
const MATH = /\$\$([\s\S]+?)\$\$|\$(?!\s)([^$\n]+?)\$/g;

/**
 * Replaces the math of a markdown text with placeholders marked cannot touch (it would read
 * `_` and `*` inside formulas as emphasis) and returns the rendered formulas to put back.
 */
export function extractMath(markdown: string): { text: string; math: string[] } {
  const math: string[] = [];
  const text = markdown
    .split(CODE)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(MATH, (_, display: string | undefined, inline: string | undefined) => {
            math.push(
              katex.renderToString(display ?? inline ?? '', {
                displayMode: display !== undefined,
                output: 'mathml',
                throwOnError: false,
              }),
            );
            return `MATHPLACEHOLDER${math.length - 1}X`;
          }),
    )
    .join('');
  return { text, math };
}

async function markdownRenderer(): Promise<MarkdownRenderer> {
  // marked is ESM-only: a dynamic import (kept as import() by the Node16 module setting).
  const { marked } = await import('marked');
  return (md) => {
    const { text, math } = extractMath(md);
    const html = marked.parse(text, { async: false });
    return html.replace(/MATHPLACEHOLDER(\d+)X/g, (_, i: string) => math[Number(i)]);
  };
}

function text(v: MimeBundle[string] | undefined): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join('');
  return JSON.stringify(v, null, 1);
}

function renderBundle(data: MimeBundle, md: MarkdownRenderer): string {
  for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
    if (data[mime]) return `<img alt="" src="data:${mime};base64,${text(data[mime]).replace(/\s/g, '')}">`;
  }
  if (data['image/svg+xml']) {
    // As an <img> (not inline) so a plot's own styles and ids cannot clash with the page.
    const b64 = Buffer.from(text(data['image/svg+xml']), 'utf8').toString('base64');
    return `<img alt="" src="data:image/svg+xml;base64,${b64}">`;
  }
  if (data['text/html']) return `<div>${text(data['text/html'])}</div>`;
  if (data['text/markdown']) return `<div>${md(text(data['text/markdown']))}</div>`;
  if (data['text/plain'] !== undefined) return `<pre>${escapeHtml(text(data['text/plain']))}</pre>`;
  return '';
}

function renderOutput(o: Output, md: MarkdownRenderer): string {
  switch (o.output_type) {
    case 'stream':
      return `<pre class="${o.name}">${escapeHtml(stripAnsi(o.text))}</pre>`;
    case 'error':
      return `<pre class="error">${escapeHtml(stripAnsi([`${o.ename}: ${o.evalue}`, ...o.traceback].join('\n')))}</pre>`;
    case 'display_data':
    case 'execute_result':
      return renderBundle(o.data, md);
  }
}

function highlight(source: string, language: string): string {
  const lang = hljs.getLanguage(language) ? language : 'typescript';
  return hljs.highlight(source, { language: lang }).value;
}

/** The notebook's title: its first markdown heading, else the file name. */
export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== 'markdown') continue;
    const m = /^#+\s+(.+)$/m.exec(c.source);
    if (m) return m[1].trim();
  }
  return fallback;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}${hljsCss()}</style></head>
<body>
${body}
</body></html>
`;
}

/**
 * One notebook as a standalone HTML page.
 *
 * @example
 * fs.writeFileSync('out/site/01.html', await notebookToHtml(nb, '01-intro'));
 */
export async function notebookToHtml(nb: Notebook, name: string): Promise<string> {
  const md = await markdownRenderer();
  const li = nb.metadata.language_info as { name?: string } | undefined;
  const language = (li?.name ?? 'typescript').toLowerCase();
  const cells = nb.cells.map((c) => {
    if (c.cell_type === 'markdown') return `<div class="cell markdown">${md(c.source)}</div>`;
    if (c.cell_type === 'raw') return `<div class="cell raw"><pre>${escapeHtml(c.source)}</pre></div>`;
    const outs = (c.outputs ?? []).map((o) => renderOutput(o, md)).join('\n');
    const prompt = `<div class="prompt">[${c.execution_count ?? ' '}]</div>`;
    return `<div class="cell code">${prompt}<pre class="source"><code class="hljs">${highlight(c.source, language)}</code></pre><div class="output">${outs}</div></div>`;
  });
  const title = notebookTitle(nb, name);
  return page(title, `<p><a href="index.html">← all notebooks</a></p>\n${cells.join('\n')}`);
}

/** What the site's index shows of a notebook, as markdown; absent parts are undefined. */
export interface NotebookSummary {
  /** The markdown cell tagged `question`: its quoted lines, without the "Interview question." label. */
  question?: string;
  /** The outputs of the code cell tagged `headline` (text/markdown, else text/plain, or printed text). */
  headline?: string;
}

function outputText(o: Output): string {
  if (o.output_type === 'stream') return o.text;
  if (o.output_type === 'error') return '';
  const text = o.data['text/markdown'] ?? o.data['text/plain'] ?? '';
  return Array.isArray(text) ? text.join('') : typeof text === 'string' ? text : '';
}

/**
 * The question and the headline result of an executed notebook, read from its tagged cells, so
 * the index lists what the run found rather than text written by hand.
 *
 * @example
 * notebookSummary(nb).headline; // '**fashion-mnist, test classes ...:** pixels 0.608, ...'
 */
export function notebookSummary(nb: Notebook): NotebookSummary {
  const summary: NotebookSummary = {};
  for (const c of nb.cells) {
    const tags = cellTags(c);
    if (c.cell_type === 'markdown' && tags.includes('question')) {
      const quoted = c.source.split('\n').filter((l) => l.startsWith('>'));
      const text = quoted.length ? quoted.map((l) => l.replace(/^>\s?/, '')).join(' ') : c.source;
      summary.question = text.replace(/\*\*Interview question\.\*\*\s*/, '').trim();
    }
    if (c.cell_type === 'code' && tags.includes('headline')) {
      const text = (c.outputs ?? []).map(outputText).join('\n').trim();
      if (text) summary.headline = text;
    }
  }
  return summary;
}

/** A notebook to put on the site. */
export interface SiteEntry {
  notebook: Notebook;
  /** Base file name without extension, e.g. '01-intro'. */
  name: string;
  ok: boolean;
  seconds: number;
}

/**
 * Writes `dir/<name>.html` for each entry and `dir/index.html`; returns the index path.
 *
 * @example
 * const index = await writeSite('out/site', [{ notebook: nb, name: '01-intro', ok: true, seconds: 12 }]);
 */
export async function writeSite(dir: string, entries: SiteEntry[], title = 'metriclab notebooks'): Promise<string> {
  makeDirs(dir);
  const md = await markdownRenderer();
  const rows: string[] = [];
  for (const e of entries) {
    fs.writeFileSync(path.join(dir, `${e.name}.html`), await notebookToHtml(e.notebook, e.name));
    const status = e.ok ? '<span class="ok">ok</span>' : '<span class="failed">failed</span>';
    const { question, headline } = notebookSummary(e.notebook);
    rows.push(
      `<tr><td><a href="${encodeURIComponent(e.name)}.html">${escapeHtml(notebookTitle(e.notebook, e.name))}</a></td>` +
        `<td>${question ? md(question) : ''}</td><td>${headline ? md(headline) : ''}</td>` +
        `<td>${escapeHtml(e.name)}.ipynb</td><td>${status}</td><td>${e.seconds.toFixed(1)} s</td></tr>`,
    );
  }
  const table = entries.length
    ? `<table><tr><th>Notebook</th><th>Question</th><th>What this run found</th><th>File</th><th>Status</th><th>Time</th></tr>\n${rows.join('\n')}</table>`
    : '<p>No notebooks were found to run.</p>';
  const index = path.join(dir, 'index.html');
  fs.writeFileSync(index, page(title, `<h1>${escapeHtml(title)}</h1>\n${table}`));
  return index;
}

/**
 * The site of a set of runs: a page per notebook that was read (failed runs included, with
 * their partial outputs) and the index; returns the index path.
 *
 * @example
 * const index = await writeRunSite('out/site', await runNotebooks(['notebooks/01-intro.ipynb']));
 */
export function writeRunSite(dir: string, results: RunResult[], title?: string): Promise<string> {
  const entries: SiteEntry[] = [];
  for (const r of results) {
    if (!r.notebook) continue;
    entries.push({
      notebook: r.notebook,
      name: path.basename(r.notebookPath, '.ipynb'),
      ok: r.exitCode === 0,
      seconds: r.seconds,
    });
  }
  return writeSite(dir, entries, title);
}
