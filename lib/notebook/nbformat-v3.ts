/**
 * nbformat 3 → 4, the way nbformat's `v4.convert.upgrade` does it (what `jupyter nbconvert`
 * applies when it reads an old notebook): worksheets flattened, heading and html cells become
 * markdown, `input`/`prompt_number` become `source`/`execution_count`, pyout/pyerr become
 * execute_result/error, short mime keys become mime types.
 */

type Obj = Record<string, unknown>;

const MIME: Record<string, string> = {
  text: 'text/plain',
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  latex: 'text/latex',
  json: 'application/json',
  javascript: 'application/javascript',
};

const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const joined = (v: unknown): string => (Array.isArray(v) ? v.map(String).join('') : String(v ?? ''));

function upgradeOutput(o: Obj): Obj {
  const type = o.output_type;
  if (type === 'pyout' || type === 'display_data') {
    const data: Obj = {};
    for (const [k, v] of Object.entries(o)) {
      if (k in MIME) data[MIME[k]] = k === 'json' && typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
    }
    const out: Obj = { output_type: type === 'pyout' ? 'execute_result' : 'display_data', data };
    out.metadata = asObj(o.metadata);
    if (type === 'pyout') out.execution_count = o.prompt_number ?? null;
    return out;
  }
  if (type === 'pyerr') return { output_type: 'error', ename: o.ename, evalue: o.evalue, traceback: o.traceback };
  if (type === 'stream') return { output_type: 'stream', name: o.stream ?? 'stdout', text: o.text ?? '' };
  return o;
}

function upgradeCell(c: Obj): Obj {
  const metadata = { ...asObj(c.metadata) };
  switch (c.cell_type) {
    case 'code':
      if ('collapsed' in c) metadata.collapsed = c.collapsed;
      return {
        cell_type: 'code',
        metadata,
        source: joined(c.input),
        execution_count: c.prompt_number ?? null,
        outputs: Array.isArray(c.outputs) ? c.outputs.map((o) => upgradeOutput(asObj(o))) : [],
      };
    case 'heading': {
      const level = typeof c.level === 'number' ? c.level : 1;
      return {
        cell_type: 'markdown',
        metadata,
        source: `${'#'.repeat(level)} ${joined(c.source).split('\n').join(' ')}`,
      };
    }
    case 'html':
    case 'markdown':
      return { cell_type: 'markdown', metadata, source: joined(c.source) };
    default:
      return { cell_type: c.cell_type, metadata, source: joined(c.source) };
  }
}

/**
 * An nbformat 3 notebook as nbformat 4.0 JSON (then validated like any 4.0 notebook).
 *
 * @example
 * upgradeV3({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [] }] }).nbformat; // 4
 */
export function upgradeV3(raw: Obj): Obj {
  const cells: Obj[] = [];
  const worksheets = Array.isArray(raw.worksheets) ? raw.worksheets : [];
  for (const ws of worksheets) {
    const wsCells = asObj(ws).cells;
    if (Array.isArray(wsCells)) for (const c of wsCells) cells.push(upgradeCell(asObj(c)));
  }
  const metadata = { ...asObj(raw.metadata) };
  delete metadata.name;
  delete metadata.signature;
  metadata.orig_nbformat = 3;
  return { nbformat: 4, nbformat_minor: 0, metadata, cells };
}
