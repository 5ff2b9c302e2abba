/**
 * Checks the library against a parity fixture (../shared/fixtures/parity.json, or xbm-parity.json
 * with format metriclab-parity-xbm/1: a sequence of batches per case): each case
 * goes to the runner of its kind; an unknown kind or name counts as failed, with the reason.
 *
 * @example
 * await ready();
 * const { passed, failed, results } = runParityFile('test/fixtures/parity.json');
 */
import * as fs from 'fs';
import { runClusteringCase } from './clustering';
import { runLossCase } from './losses';
import { runMinerCase } from './miners';
import { runRetrievalCase } from './retrieval';
import { runXbmCase } from './xbm';
import type { CaseOutcome, CaseRunner, ParityCase, ParityFile } from './types';

export type { CaseOutcome, CaseRunner, ParityCase, ParityFile } from './types';

export interface CaseResult extends CaseOutcome {
  kind: string;
  name: string;
  seed: number | null;
}

export interface ParityReport {
  results: CaseResult[];
  passed: number;
  failed: number;
}

const RUNNERS: Record<string, CaseRunner> = {
  loss: runLossCase,
  miner: runMinerCase,
  retrieval: runRetrievalCase,
  clustering: runClusteringCase,
  xbm: runXbmCase,
};

/** The `format` values a fixture may declare (parity.json declares none). */
export const PARITY_FORMATS = ['metriclab-parity-xbm/1'];

/** Thrown when the file cannot be read or is not a parity fixture. */
export class ParityFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Error in runParityFile: cannot use '${path}': ${reason}`);
    this.name = 'ParityFileError';
  }
}

/** Reads and checks the top-level shape of a fixture file. */
export function readParityFile(path: string): ParityFile {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ParityFileError(path, (e as Error).message);
  }
  if (!data || typeof data !== 'object' || !Array.isArray((data as ParityFile).cases)) {
    throw new ParityFileError(path, "no 'cases' array");
  }
  const format = (data as ParityFile).format;
  if (format !== undefined && !PARITY_FORMATS.includes(format)) {
    throw new ParityFileError(path, `unknown format '${format}' (known: ${PARITY_FORMATS.join(', ')})`);
  }
  return data as ParityFile;
}

/** Runs one case; a runner that throws on a malformed case gives a failed outcome with the reason. */
export function runParityCase(c: ParityCase): CaseResult {
  const head = { kind: String(c.kind), name: String(c.name), seed: typeof c.seed === 'number' ? c.seed : null };
  const runner = RUNNERS[c.kind];
  if (!runner) return { ...head, passed: false, error: NaN, detail: `unknown case kind '${c.kind}'` };
  try {
    return { ...head, ...runner(c) };
  } catch (e) {
    return { ...head, passed: false, error: NaN, detail: `could not run: ${(e as Error).message}` };
  }
}

/** Runs every case of a fixture file (call `await ready()` first). */
export function runParityFile(path: string): ParityReport {
  const results = readParityFile(path).cases.map(runParityCase);
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed };
}
