/**
 * Several notebooks, at most `jobs` at a time (each with its own kernel), results in input order.
 */
import * as path from 'path';
import { runNotebook, type RunOptions, type RunResult } from './run-notebook';

export interface RunManyOptions extends Omit<RunOptions, 'outputPath'> {
  /** Notebooks run in parallel. Default 1. */
  jobs?: number;
  /** Folder for the executed notebooks (same file names); null: do not write (unless inplace). */
  outDir?: string | null;
  /** Called as each notebook finishes, with its 1-based completion order. */
  onNotebookDone?: (result: RunResult, finished: number, total: number) => void;
}

/**
 * Runs notebooks through a small worker pool.
 *
 * @example
 * const results = await runNotebooks(['a.ipynb', 'b.ipynb'], { jobs: 2, outDir: 'out/notebooks' });
 * results.every((r) => r.exitCode === 0);
 */
export async function runNotebooks(paths: string[], options: RunManyOptions = {}): Promise<RunResult[]> {
  const { jobs = 1, outDir = null, onNotebookDone, ...runOptions } = options;
  const results: RunResult[] = new Array<RunResult>(paths.length);
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      const outputPath = outDir ? path.join(outDir, path.basename(paths[i])) : null;
      results[i] = await runNotebook(paths[i], { ...runOptions, outputPath });
      onNotebookDone?.(results[i], ++finished, paths.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, paths.length)) }, worker));
  return results;
}
