/**
 * `npm run bench`: every comparison in one go, one after the other (never two at once: timings
 * on a 2-core machine would disturb each other), then bench/RESULTS.md with the machine,
 * backend, versions and date, and one section per row group.
 *
 * Rows 1 (bench/train), 6 (bench/course) and 7 (bench/train/xbm.ts) return tables, row 9 times the
 * whole test run; rows 2-5 and 8 are the other authors'
 * scripts (bench/losses, bench/eval, bench/runner, bench/search), run as they are and quoted verbatim. The
 * Python references are installed from Debian first when missing (bench/install-references.sh);
 * a row whose script or reference fails says "skipped" with the reason.
 * Usage: node --import tsx bench/index.ts [--quick] [--only 1,6] [--out FILE]
 *   --quick: fewer repeats everywhere (a smoke run, minutes less); --only: just those rows, whose
 *   sections replace the same sections of an existing FILE (the rest of it is kept).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../lib/tf';
import { nativeBlasStatus, ready, type BackendInfo } from '../lib/backend';
import { courseNotebooks } from '../lib/cli/course';
import { benchCourse } from './course/run';
import { machineInfo, pythonVersions, renderTable } from './common';
import { benchTrain } from './train/run';
import { benchXbm } from './train/xbm';

const ROOT = path.resolve(__dirname, '..');

interface Section {
  row: number;
  title: string;
  /** Markdown body of the section. */
  run: (quick: boolean) => Promise<string>;
}

/**
 * Runs another author's bench script with tsx and returns its stdout, or throws with the reason.
 * A script that is missing throws too, so its row is reported as skipped.
 */
function runScript(script: string, args: string[], timeoutMs: number): string {
  const file = path.join(ROOT, script);
  if (!fs.existsSync(file)) throw new Error(`${script} does not exist yet`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw new Error(`${script}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`${script} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  // tfjs's "install the node backend" banner is noise in a results file.
  return r.stdout
    .split('\n')
    .filter((l) => !/^=+$|looks like you are running TensorFlow\.js in Node/.test(l))
    .join('\n')
    .trim();
}

/**
 * A section that runs another author's script (args chosen per --quick) and quotes its output
 * under the command line that produced it.
 */
function scriptSection(
  row: number,
  title: string,
  script: string,
  args: (quick: boolean) => string[],
  timeoutMs: number,
): Section {
  return {
    row,
    title,
    run: async (quick) => {
      const a = args(quick);
      const output = runScript(script, a, timeoutMs);
      return ['`node --import tsx ' + [script, ...a].join(' ') + '`', '', '```', output, '```'].join('\n');
    },
  };
}

/** The first course notebook, for row 5. */
function firstNotebook(): string {
  const notebook = courseNotebooks(path.join(ROOT, 'notebooks'))[0];
  if (!notebook) throw new Error('notebooks/ holds no NN-*.ipynb');
  return path.relative(ROOT, notebook);
}

const SECTIONS: Section[] = [
  {
    row: 1,
    title: 'Row 1: training step',
    run: async (quick) => renderTable(await benchTrain({ repeats: quick ? 5 : 60, log: progress })),
  },
  scriptSection(
    2,
    'Row 2: losses + miners, forward + backward, vs PyTorch (bench/losses)',
    'bench/losses/bench.ts',
    (quick) => ['--repeats', quick ? '2' : '20'],
    300_000,
  ),
  scriptSection(
    3,
    'Rows 3-4: retrieval evaluation and k-NN search, vs faiss + numpy (bench/eval)',
    'bench/eval/run.ts',
    (quick) => (quick ? ['10000'] : ['10000', '70000']),
    900_000,
  ),
  scriptSection(
    5,
    'Row 5: one course notebook, our runner vs jupyter nbconvert --execute (bench/runner)',
    'bench/runner/index.ts',
    () => [firstNotebook(), '--repeat', '1'],
    900_000,
  ),
  {
    row: 6,
    title: 'Row 6: the whole quick course',
    run: async () => renderTable(await benchCourse({ repeats: 1, log: progress })),
  },
  {
    row: 7,
    title: 'Row 7: cross-batch memory per training step',
    run: async (quick) => renderTable(await benchXbm({ repeats: quick ? 2 : 8, log: progress })),
  },
  {
    row: 9,
    title: 'Row 9: the full test run',
    run: async (quick) => (quick ? 'skipped with --quick (it takes over ten minutes)' : testRunSection()),
  },
  scriptSection(
    8,
    'Row 8: approximate search, usearch and the JavaScript HNSW vs faiss HNSW at equal recall (bench/search)',
    'bench/search/ann.ts',
    (quick) => (quick ? ['--quick'] : ['70000']),
    900_000,
  ),
];

/**
 * Row 9: every test as `npm test` runs them after its build (mocha over test/**), wall time and
 * mocha's own summary. No reference: the number to compare is the same row in earlier runs.
 */
function testRunSection(): string {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), 'test/**/*.test.ts'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 40 * 60_000,
      maxBuffer: 256 << 20,
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const summary = `${r.stdout ?? ''}`
    .split('\n')
    .filter((l) => /^\s+\d+ (passing|failing|pending)/.test(l))
    .map((l) => l.trim());
  return [
    "`node node_modules/mocha/bin/mocha.js 'test/**/*.test.ts'` (what `npm test` runs after `npm run build`)",
    '',
    `- wall time ${(seconds / 60).toFixed(1)} min (${seconds.toFixed(0)} s), exit ${r.status ?? r.error?.message}`,
    `- ${summary.join(', ') || 'no mocha summary (see the exit status)'}`,
    '- the course notebooks (two at a time) are most of it; the rest is the unit and reference tests',
  ].join('\n');
}

function progress(line: string): void {
  console.log(`  ${line}`);
}

function installReferences(): string[] {
  const r = spawnSync('bash', [path.join(__dirname, 'install-references.sh')], { encoding: 'utf8' });
  const lines = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').filter(Boolean);
  for (const l of lines) console.log(l);
  return lines;
}

function nbconvertVersion(): string | null {
  const r = spawnSync('/usr/bin/jupyter-nbconvert', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function header(info: BackendInfo, installLog: string[], seconds: number): string {
  const m = machineInfo();
  const py = pythonVersions(['torch', 'faiss', 'numpy', 'sklearn']);
  const blas = nativeBlasStatus();
  const v = (x: string | null | undefined): string => x ?? 'missing';
  return [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/index.ts); do not edit by hand. Times are min / median / max over',
    'repeated runs on this machine; a ratio above 1 means metriclab is slower than the reference.',
    '',
    `- Date: ${new Date().toISOString()} (whole run ${(seconds / 60).toFixed(1)} min)`,
    `- Machine: ${m.cpu}, ${m.cores} logical cores, ${m.memoryGiB} GiB memory, ${m.os}`,
    `- Backend: ${info.backend} (${info.reason}); wasm SIMD ${info.simd ?? 'n/a'}, threads ${info.threads ?? 'n/a'}`,
    `- Matrix products on wasm: ${blas.loaded ? `native OpenBLAS sgemm (${blas.config}), ${blas.threads} thread` : `XNNPACK inside wasm (native path ${blas.reason})`}; row 1 also times the other path (the course notebooks turn the native path off)`,
    `- Versions: node ${process.versions.node}, tfjs-core ${tf.version['tfjs-core']}, ` +
      `torch ${v(py.torch)}, faiss ${v(py.faiss)}, numpy ${v(py.numpy)}, scikit-learn ${v(py.sklearn)}, ` +
      `nbconvert ${v(nbconvertVersion())}`,
    `- References: ${installLog.filter((l) => /installing|all references|failed|cannot/.test(l)).join('; ') || 'see log'}`,
    '',
  ].join('\n');
}

/** `doc` with the section of the same '## ' heading as `section` replaced by it (or appended). */
function replaceSection(doc: string, section: string): string {
  const heading = section.split('\n')[0];
  const start = doc.indexOf(`${heading}\n`);
  if (start < 0) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf('\n## ', start + heading.length);
  return doc.slice(0, start) + section + (next < 0 ? '' : doc.slice(next));
}

/** With --only, the header says which rows were re-run and when (the Date line is the full run's). */
function noteRefresh(doc: string, rows: Set<number>): string {
  const line = `- Rows ${[...rows].sort((a, b) => a - b).join(', ')} re-run on ${new Date().toISOString()} (\`npm run bench -- --only\`)`;
  const lines = doc
    .split('\n')
    .filter((l) => !l.startsWith(`- Rows ${[...rows].sort((a, b) => a - b).join(', ')} re-run on`));
  const at = lines.findIndex((l) => l.startsWith('- Date:'));
  lines.splice(at + 1, 0, line);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const o = args.indexOf('--only');
  const only = o >= 0 ? new Set(args[o + 1].split(',').map(Number)) : null;
  const f = args.indexOf('--out');
  const outFile = f >= 0 ? path.resolve(args[f + 1]) : path.join(__dirname, 'RESULTS.md');
  const t0 = performance.now();
  const installLog = installReferences();
  const info = await ready();
  const bodies: string[] = [];
  for (const s of SECTIONS) {
    if (only && !only.has(s.row) && !(s.row === 3 && only.has(4))) continue;
    console.log(`${s.title} ...`);
    const start = performance.now();
    let body: string;
    try {
      body = await s.run(quick);
    } catch (e) {
      body = `Skipped: ${(e as Error).message}`;
    }
    const secs = (performance.now() - start) / 1000;
    console.log(`  done in ${secs.toFixed(0)} s`);
    bodies.push(`## ${s.title}\n\n${body.replace(/^### .*\n\n/, '')}\n\n_(${secs.toFixed(0)} s)_\n`);
  }
  const notesFile = path.join(__dirname, 'train', 'PROFILE.md');
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8').trim() : '';
  const doc =
    only && fs.existsSync(outFile)
      ? noteRefresh([...bodies, notes].reduce(replaceSection, fs.readFileSync(outFile, 'utf8')), only)
      : [header(info, installLog, (performance.now() - t0) / 1000), ...bodies, notes, ''].join('\n');
  fs.writeFileSync(outFile, doc);
  console.log(`wrote ${path.relative(process.cwd(), outFile)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
