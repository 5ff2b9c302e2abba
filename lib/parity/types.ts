/**
 * The fixture format of ../shared/fixtures/parity.json (copied to test/fixtures/parity.json):
 * { about, tolerance, cases: [{ kind, name, seed, semantics, expected, ...inputs }] }.
 * One runner per kind turns a case into an outcome; `metriclab parity FILE` prints them.
 */
export interface ParityCase {
  kind: string;
  name: string;
  seed?: number;
  semantics: Record<string, unknown>;
  expected: Record<string, unknown>;
  /** Inputs differ per kind: embeddings, labels, proxies, queries, references, clusters, batches... */
  [input: string]: unknown;
}

export interface ParityFile {
  /** Absent for parity.json; 'metriclab-parity-xbm/1' for cross-batch memory cases. */
  format?: string;
  about?: string;
  tolerance?: Record<string, string | number>;
  cases: ParityCase[];
}

export interface CaseOutcome {
  passed: boolean;
  /** The largest error found (absolute, or for sets the number of differing elements). */
  error: number;
  /** What differed, in words, when the case failed or could not run. */
  detail?: string;
}

/** Runs one case of a kind; throws only for programming errors (a bad case returns passed=false). */
export type CaseRunner = (c: ParityCase) => CaseOutcome;
