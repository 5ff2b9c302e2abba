/**
 * `metriclab course [--profile quick|full] [--jobs N] [--out DIR]`: what `npm start` runs after
 * the build. Executes notebooks/NN-*.ipynb headless with the `profile` parameter, writes the
 * executed notebooks to out/notebooks and a static site to out/site, and prints where.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineCommand, integerOption, oneOfOption, positiveOption } from './harness';
import { isGpuInfo, type BackendLike } from '../backend/gpu';
import type { BackendInfo } from '../backend/select';
import { PACKAGE_ROOT } from '../package-root';
import { writeRunSite } from '../notebook/html';
import { formatFailure, progressLine } from '../notebook/report';
import { runNotebooks } from '../notebook/run-many';
import type { RunResult } from '../notebook/run-notebook';

export type Profile = 'quick' | 'full';

/** The course notebooks of a folder: NN-name.ipynb, in order. */
export function courseNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.+\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * The profile to use: the one asked for, else 'full' on a GPU backend, else 'quick'.
 *
 * @example
 * chooseProfile(undefined, 'wasm'); // 'quick'
 */
export function chooseProfile(requested: Profile | undefined, backend: BackendLike): Profile {
  if (requested) return requested;
  return isGpuInfo(backend) ? 'full' : 'quick'; // tensorflow-gpu, or webgpu on a hardware adapter
}

export interface CourseOptions {
  profile?: Profile;
  jobs?: number;
  timeout?: number;
  outDir?: string;
  notebooksDir?: string;
  log?: (line: string) => void;
}

/** Runs the course; resolves with the exit code (the worst over the notebooks). */
export async function runCourse(
  options: CourseOptions = {},
): Promise<{ code: number; results: RunResult[]; index: string }> {
  const log = options.log ?? ((l: string) => console.log(l));
  const outDir = path.resolve(options.outDir ?? 'out');
  let backend: BackendInfo | null = null;
  if (!options.profile) {
    try {
      // Loaded here, not at the top: the runner entry point (metriclab/runner) must not start tfjs.
      const { ready } = await import('../backend/select.js');
      backend = await ready();
    } catch {
      // A backend that fails here fails in the notebooks too, with a better message there.
    }
  }
  const profile = chooseProfile(options.profile, backend);
  const notebooks = courseNotebooks(options.notebooksDir ?? path.join(PACKAGE_ROOT, 'notebooks'));
  log(
    `metriclab course: ${notebooks.length} notebook(s), profile '${profile}'` +
      (backend ? ` (backend ${backend.backend})` : '') +
      (notebooks.length === 0 ? ' (none found: writing an empty index)' : ''),
  );
  const results = await runNotebooks(notebooks, {
    // Each kernel trains on one core (wasm has no threads under Node), so run one per core, up to 2.
    jobs: options.jobs ?? Math.min(2, os.cpus().length),
    outDir: path.join(outDir, 'notebooks'),
    parameters: { profile },
    timeout: options.timeout ?? 0,
    onNotebookDone: (r, done, total) => {
      log(progressLine(r, done, total));
      if (r.error) log(formatFailure(r, { color: !!process.stdout.isTTY }));
    },
  });
  const index = await writeRunSite(path.join(outDir, 'site'), results, 'metriclab course');
  log(`Executed notebooks: ${path.join(outDir, 'notebooks')}`);
  log(`Site: ${index}`);
  return { code: Math.max(0, ...results.map((r) => r.exitCode)), results, index };
}

export const command = defineCommand({
  name: 'course',
  summary: 'run the course notebooks headless; write out/notebooks and the site out/site',
  synopsis: '[--profile quick|full] [--jobs N] [--timeout SECONDS] [--out DIR]',
  description: `Runs the course notebooks (notebooks/NN-*.ipynb) headless and writes DIR/notebooks/*.ipynb and
DIR/site/ (index.html + one page per notebook). Progress goes to stderr.`,
  options: {
    profile: {
      type: 'string',
      value: 'quick|full',
      help: "the notebooks' profile parameter (default quick, full on a tensorflow-gpu backend)",
    },
    jobs: { type: 'string', value: 'N', help: 'notebooks run in parallel (default min(2, CPU cores))' },
    timeout: { type: 'string', value: 'SECONDS', help: 'per-cell timeout (default none)' },
    out: { type: 'string', value: 'DIR', help: 'where executed notebooks and the site go (default ./out)' },
  },
  async run({ values }, io) {
    const fn = 'metriclab course';
    const opts: CourseOptions = { outDir: values.out, log: (line) => io.err(`${line}\n`) };
    if (values.profile !== undefined)
      opts.profile = oneOfOption<Profile>(fn, '--profile', values.profile, ['quick', 'full']);
    if (values.jobs !== undefined) opts.jobs = integerOption(fn, '--jobs', values.jobs, 1);
    if (values.timeout !== undefined) opts.timeout = positiveOption(fn, '--timeout', values.timeout);
    return (await runCourse(opts)).code;
  },
});
