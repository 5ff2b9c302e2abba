import type { CaseRunner } from './types';

/** Parity runner for 'clustering' cases (filled in by the evaluation work). */
export const runClusteringCase: CaseRunner = (c) => ({ passed: false, error: NaN, detail: `'${c.kind}' cases are not supported yet` });
