import type { CaseRunner } from './types';

/** Parity runner for 'retrieval' cases (filled in by the evaluation work). */
export const runRetrievalCase: CaseRunner = (c) => ({ passed: false, error: NaN, detail: `'${c.kind}' cases are not supported yet` });
