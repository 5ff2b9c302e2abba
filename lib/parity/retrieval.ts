/**
 * Parity runner for 'retrieval' cases: self_retrieval (queries only) and query_vs_reference.
 * Distances are computed in float64 (the fixture's reference precision): some cases have
 * neighbour gaps of 3e-9, which float32 matmul can reorder.
 */
import { retrievalMetrics } from '../eval/retrieval';
import type { CaseOutcome, CaseRunner, ParityCase } from './types';

const KEYS = {
  precision_at_1: 'precisionAt1',
  r_precision: 'rPrecision',
  mean_average_precision_at_r: 'mapAtR',
  mean_average_precision: 'map',
  mean_reciprocal_rank: 'meanReciprocalRank',
} as const;

const TOLERANCE = 1e-6;

function isMatrix(v: unknown): v is number[][] {
  return Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'));
}

function isLabels(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => Number.isInteger(x));
}

/**
 * @example
 * const parityFile = readParityFile('test/fixtures/parity.json');
 * runRetrievalCase(parityFile.cases.find((c) => c.kind === 'retrieval')!); // { passed: true, error: 3.3e-16 }
 */
export const runRetrievalCase: CaseRunner = (c: ParityCase): CaseOutcome => {
  const { queries, query_labels: ql, references, reference_labels: rl } = c;
  if (!isMatrix(queries) || !isLabels(ql))
    return { passed: false, error: NaN, detail: 'queries/query_labels missing or malformed' };
  const withRef = references !== undefined;
  if (withRef && (!isMatrix(references) || !isLabels(rl))) {
    return { passed: false, error: NaN, detail: 'references/reference_labels malformed' };
  }
  const got = retrievalMetrics({
    queries,
    queryLabels: ql,
    reference: withRef ? (references as number[][]) : undefined,
    referenceLabels: withRef ? (rl as number[]) : undefined,
    distance: 'euclidean',
    precision: 'float64',
    averaging: 'queries',
  });
  let error = 0;
  const bad: string[] = [];
  for (const [key, expected] of Object.entries(c.expected)) {
    const ours = key in KEYS ? got[KEYS[key as keyof typeof KEYS]] : undefined;
    if (typeof expected !== 'number' || ours === undefined) {
      bad.push(`${key}: not computed`);
      error = NaN;
      continue;
    }
    const e = Math.abs(ours - expected);
    if (!(e <= TOLERANCE)) bad.push(`${key}: got ${ours}, expected ${expected}`);
    error = Math.max(error, e);
  }
  return bad.length === 0 ? { passed: true, error } : { passed: false, error, detail: bad.join('; ') };
};
