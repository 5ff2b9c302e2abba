/**
 * Several notebooks, at most `jobs` at a time (each with its own kernel), results in input order;
 * no output may overwrite any of the inputs. `shardOf` splits a list deterministically for CI.
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
      results[i] = await runNotebook(paths[i], { ...runOptions, outputPath, protectedPaths: paths });
      onNotebookDone?.(results[i], ++finished, paths.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, paths.length)) }, worker));
  return results;
}

/**
 * The notebooks of shard `k` of `n` (1-based k): sorted by path, every n-th one starting at the
 * k-th, so each CI job of a matrix gets a fixed, disjoint part and together they cover all.
 *
 * @example
 * shardOf(['c', 'a', 'b', 'd'], 2, 2); // ['b', 'd']
 */
export function shardOf(paths: string[], k: number, n: number): string[] {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`Error in shardOf: shard must be k/n with 1 <= k <= n, but got ${k}/${n}`);
  }
  return [...paths].sort().filter((_, i) => i % n === k - 1);
}
