/** Parity runner for 'clustering' cases (nmi_ami: NMI and AMI of given clusters vs labels). */
import { ami, nmi } from '../eval/clustering';
import type { CaseOutcome, CaseRunner, ParityCase } from './types';

const TOLERANCE = 1e-6;

function isLabels(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => Number.isInteger(x));
}

/**
 * @example
 * const parityFile = readParityFile('test/fixtures/parity.json');
 * runClusteringCase(parityFile.cases.find((c) => c.kind === 'clustering')!); // { passed: true, error: 2.2e-16 }
 */
export const runClusteringCase: CaseRunner = (c: ParityCase): CaseOutcome => {
  if (!isLabels(c.labels) || !isLabels(c.clusters)) {
    return { passed: false, error: NaN, detail: 'labels/clusters missing or malformed' };
  }
  const got: Record<string, number> = { NMI: nmi(c.labels, c.clusters), AMI: ami(c.labels, c.clusters) };
  let error = 0;
  const bad: string[] = [];
  for (const [key, expected] of Object.entries(c.expected)) {
    if (typeof expected !== 'number' || !(key in got)) {
      bad.push(`${key}: not computed`);
      error = NaN;
      continue;
    }
    const e = Math.abs(got[key] - expected);
    if (!(e <= TOLERANCE)) bad.push(`${key}: got ${got[key]}, expected ${expected}`);
    error = Math.max(error, e);
  }
  return bad.length === 0 ? { passed: true, error } : { passed: false, error, detail: bad.join('; ') };
};
