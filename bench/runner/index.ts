/**
 * Runner speed: wall time of executing the same tslab notebook with our runner and with
 * `jupyter nbconvert --to notebook --execute` (Debian), interleaved in the same run, and their
 * ratio (issue 17's target: ours at most 0.7x nbconvert's).
 * Usage: node --import tsx bench/runner/index.ts [NOTEBOOK | ten-cells ...] [--repeat N]
 * With no notebook: a generated 10-cell tslab notebook (start-up and shutdown dominate) and
 * the course's notebook 01 (needs `npm run build`: it imports ../dist).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { installKernelSpec } from '../../lib/notebook/kernel-install';
import { cellTags, readNotebook, writeNotebook } from '../../lib/notebook/nbformat';
import { runNotebook } from '../../lib/notebook/run-notebook';

const NBCONVERT = '/usr/bin/jupyter-nbconvert';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const TEN_CELLS = 'ten-cells';

/** Ten trivial tslab cells: what is measured is the runner's own overhead. */
function tenCellNotebook(file: string): string {
  const cells = Array.from({ length: 10 }, (_, i) => ({
    id: `c${i}`,
    cell_type: 'code',
    source: `const v${i} = ${i} * 2;\nconsole.log('cell ${i}', v${i});`,
    metadata: {},
    outputs: [],
    execution_count: null,
  }));
  const metadata = { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } };
  fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells }));
  return file;
}

export async function benchRunner(notebookArg: string, repeat: number): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-bench-'));
  const notebook = notebookArg === TEN_CELLS ? tenCellNotebook(path.join(tmp, 'ten-cells.ipynb')) : notebookArg;
  // Error cells would make nbclient stop; the comparison is about the happy path.
  const nb = readNotebook(notebook);
  nb.cells = nb.cells.filter(
    (c) => !cellTags(c).includes('raises-exception') && !cellTags(c).includes('skip-execution'),
  );
  // Next to the original, so relative imports such as '../dist' resolve as they do in the course.
  const input = path.join(path.dirname(path.resolve(notebook)), `.bench-${process.pid}.ipynb`);
  writeNotebook(input, nb);
  const ours: number[] = [];
  const theirs: number[] = [];
  const haveNbconvert = fs.existsSync(NBCONVERT);
  const env = { ...process.env, JUPYTER_PATH: path.join(tmp, 'share', 'jupyter') };
  installKernelSpec({ prefix: tmp });
  for (let i = 0; i < repeat; i++) {
    let t = Date.now();
    const r = await runNotebook(input, { outputPath: path.join(tmp, 'ours.ipynb') });
    if (r.error) throw r.error;
    ours.push((Date.now() - t) / 1000);
    if (haveNbconvert) {
      t = Date.now();
      await promisify(execFile)(
        '/usr/bin/python3',
        [NBCONVERT, '--to', 'notebook', '--execute', '--output', path.join(tmp, 'theirs.ipynb'), input],
        { env, cwd: path.dirname(input) },
      );
      theirs.push((Date.now() - t) / 1000);
    }
  }
  const code = nb.cells.filter((c) => c.cell_type === 'code').length;
  console.log(`notebook: ${notebook} (${code} code cells), ${repeat} run(s) each, interleaved; median wall time`);
  console.log(`  metriclab run       ${median(ours).toFixed(2)} s   [${ours.map((x) => x.toFixed(2)).join(', ')}]`);
  if (haveNbconvert) {
    console.log(
      `  nbconvert --execute ${median(theirs).toFixed(2)} s   [${theirs.map((x) => x.toFixed(2)).join(', ')}]`,
    );
    const ratio = median(ours) / median(theirs);
    console.log(
      `  ratio metriclab / nbconvert: ${ratio.toFixed(2)}x (target <= 0.70x: ${ratio <= 0.7 ? 'met' : 'not met'})`,
    );
  } else {
    console.log('  nbconvert: not installed (Debian jupyter-nbconvert), no ratio');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(input, { force: true });
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const r = args.indexOf('--repeat');
  const repeat = r >= 0 ? Number(args[r + 1]) : 3;
  const given = args.filter((a, i) => !a.startsWith('--') && (r < 0 || i !== r + 1));
  const notebooksDir = path.join(__dirname, '..', '..', 'notebooks');
  const first = fs.readdirSync(notebooksDir).find((f) => /^01-.*\.ipynb$/.test(f));
  const notebooks = given.length > 0 ? given : [TEN_CELLS, ...(first ? [path.join(notebooksDir, first)] : [])];
  (async () => {
    for (const nb of notebooks) await benchRunner(nb, repeat);
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
