/**
 * Row 6: the whole quick course (`node bin/metriclab.js course`), wall time and peak memory.
 * Memory is sampled from /proc every 100 ms over the whole process tree (the CLI and the tslab
 * kernels it starts): peak of the sum, and the largest single process. The course writes to a
 * temporary --out folder, so out/ is left alone.
 * Usage: node --import tsx bench/course/run.ts [--repeats N]
 *
 * @example
 * const table = await benchCourse({ repeats: 1 });
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nativeBlasStatus } from '../../lib/backend';
import { courseNotebooks } from '../../lib/cli/course';
import { formatSpan, renderTable, summarize, type ResultTable } from '../common';

const ROOT = path.resolve(__dirname, '..', '..');

/** Resident set size (bytes) of every process, and each one's parent, from /proc. */
function processTable(): Map<number, { ppid: number; rss: number }> {
  const out = new Map<number, { ppid: number; rss: number }>();
  const page = 4096;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(fields[1]), rss: Number(fields[21]) * page });
    } catch {
      // The process ended between readdir and read.
    }
  }
  return out;
}

/**
 * Total and largest RSS of `root` and all its descendants right now.
 *
 * @example
 * treeMemory(process.pid); // { total: 123456789, largest: 98765432, processes: 1 }
 */
export function treeMemory(root: number): { total: number; largest: number; processes: number } {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let total = 0;
  let largest = 0;
  let processes = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    const p = table.get(pid);
    if (p) {
      total += p.rss;
      largest = Math.max(largest, p.rss);
      processes++;
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, largest, processes };
}

interface CourseRun {
  seconds: number;
  peakTotal: number;
  peakLargest: number;
  peakProcesses: number;
  code: number;
  tail: string;
}

function runCourseOnce(env: NodeJS.ProcessEnv): Promise<CourseRun> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-bench-course-'));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'metriclab.js'), 'course', '--out', out], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    let peakTotal = 0;
    let peakLargest = 0;
    let peakProcesses = 0;
    const sample = (): void => {
      if (child.pid === undefined) return;
      const m = treeMemory(child.pid);
      peakTotal = Math.max(peakTotal, m.total);
      peakLargest = Math.max(peakLargest, m.largest);
      peakProcesses = Math.max(peakProcesses, m.processes);
    };
    const timer = setInterval(sample, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      fs.rmSync(out, { recursive: true, force: true });
      resolve({
        seconds: (performance.now() - t0) / 1000,
        peakTotal,
        peakLargest,
        peakProcesses,
        code: code ?? 1,
        tail: log.trim().split('\n').slice(-3).join(' / '),
      });
    });
  });
}

const MiB = 2 ** 20;

/**
 * The matrix-product path the course runs on: XNNPACK inside wasm, always. Every notebook turns
 * the native OpenBLAS path off in its first cell (its last bits depend on the CPU, and the course's
 * checks must see the same numbers on every machine); row 1 compares the two paths.
 */
function coursePath(): string {
  const blas = nativeBlasStatus();
  return `XNNPACK (wasm; ${blas.loaded ? 'the notebooks turn the built native path off' : `native path: ${blas.reason}`})`;
}

/**
 * Runs the quick course `repeats` times and returns row 6's table (no outside reference: the
 * number to compare is the same row in earlier runs).
 *
 * @example
 * console.log(renderTable(await benchCourse({ repeats: 1 })));
 */
export async function benchCourse({
  repeats = 1,
  log = (line: string) => console.log(line),
}: { repeats?: number; log?: (line: string) => void } = {}): Promise<ResultTable> {
  const notebooks = courseNotebooks(path.join(ROOT, 'notebooks'));
  const table: ResultTable = {
    title: 'Row 6: the whole quick course (`node bin/metriclab.js course`)',
    header: [
      'notebooks',
      'matrix products',
      'runs',
      'wall time (min / median / max)',
      'peak RSS, process tree',
      'peak RSS, largest process',
    ],
    rows: [],
    notes: [],
  };
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    table.notes.push('skipped: dist/ is missing (npm run build first; `npm run bench` builds)');
    return table;
  }
  const name = coursePath();
  const runs: CourseRun[] = [];
  for (let i = 0; i < repeats; i++) {
    // METRICLAB_NATIVE=0 as well, so the CLI process itself does not load the native module.
    const r = await runCourseOnce({ ...process.env, METRICLAB_NATIVE: '0' });
    log(
      `course run ${i + 1}, ${name}: ${r.seconds.toFixed(1)} s, exit ${r.code}, peak ${(r.peakTotal / MiB).toFixed(0)} MiB`,
    );
    runs.push(r);
  }
  table.rows.push([
    String(notebooks.length),
    name,
    String(repeats),
    formatSpan(summarize(runs.map((r) => r.seconds)), 's'),
    `${(Math.max(...runs.map((r) => r.peakTotal)) / MiB).toFixed(0)} MiB (up to ${Math.max(...runs.map((r) => r.peakProcesses))} processes)`,
    `${(Math.max(...runs.map((r) => r.peakLargest)) / MiB).toFixed(0)} MiB`,
  ]);
  const failed = runs.filter((r) => r.code !== 0);
  if (failed.length) table.notes.push(`${failed.length} run(s) exited non-zero; last lines: ${failed[0].tail}`);
  if (notebooks.length === 0)
    table.notes.push('notebooks/ holds no NN-*.ipynb yet: this measures the CLI start and the empty site only');
  table.notes.push('RSS sampled from /proc every 100 ms over the CLI and every kernel it starts');
  return table;
}

if (require.main === module) {
  const r = process.argv.indexOf('--repeats');
  benchCourse({ repeats: r > 0 ? Number(process.argv[r + 1]) : 1 })
    .then((t) => console.log('\n' + renderTable(t)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
