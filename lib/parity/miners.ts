/**
 * Parity runner for 'miner' cases: runs the library miner the case names and compares the mined
 * triplets or pairs with the reference as sets (exact equality).
 */
import * as tf from '../tf';
import { distances } from '../distances';
import { miners, type BaseMiner } from '../miners';
import { isPairIndices, type MinerResult } from '../types';
import type { CaseOutcome, CaseRunner, ParityCase } from './types';

const l2 = distances.euclidean({ squared: false, normalize: true });

const num = (c: ParityCase, key: string): number => {
  const v = c.semantics[key];
  if (typeof v !== 'number') throw new Error(`case ${c.name}: semantics.${key} is not a number`);
  return v;
};

const tripletMiner = (c: ParityCase): BaseMiner =>
  miners.tripletMargin({
    margin: num(c, 'margin'),
    type: c.semantics.type as 'all' | 'hard' | 'semihard' | 'easy',
    distance: l2,
  });

const BUILDERS: Record<string, (c: ParityCase) => BaseMiner> = {
  batch_hard: () => miners.batchHard({ distance: l2 }),
  triplet_margin_all: tripletMiner,
  triplet_margin_hard: tripletMiner,
  triplet_margin_semihard: tripletMiner,
  triplet_margin_easy: tripletMiner,
  multi_similarity: (c) => miners.multiSimilarity({ epsilon: num(c, 'epsilon') }),
  pair_margin: (c) =>
    miners.pairMargin({ posMargin: num(c, 'pos_margin'), negMargin: num(c, 'neg_margin'), distance: l2 }),
};

function keys(rows: ArrayLike<number>[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < rows[0].length; k++) out.push(rows.map((r) => r[k]).join(','));
  return out;
}

/** Elements in one set and not the other (both directions), with up to three examples. */
function difference(actual: string[], expected: unknown): { count: number; examples: string[] } {
  const exp = new Set(((expected as number[][] | undefined) ?? []).map((t) => t.join(',')));
  const act = new Set(actual);
  const extra = [...act].filter((k) => !exp.has(k)).map((k) => `+[${k}]`);
  const missing = [...exp].filter((k) => !act.has(k)).map((k) => `-[${k}]`);
  const all = [...extra, ...missing];
  return { count: all.length, examples: all.slice(0, 3) };
}

function compare(c: ParityCase, mined: MinerResult): CaseOutcome {
  const parts: [string, string[]][] = isPairIndices(mined)
    ? [
        ['positive_pairs', keys([mined.a1, mined.p])],
        ['negative_pairs', keys([mined.a2, mined.n])],
      ]
    : [['triplets', keys([mined.a, mined.p, mined.n])]];
  let error = 0;
  const details: string[] = [];
  for (const [key, actual] of parts) {
    if (!(key in c.expected)) return { passed: false, error: NaN, detail: `expected.${key} is missing` };
    const diff = difference(actual, c.expected[key]);
    error += diff.count;
    if (diff.count) details.push(`${key}: ${diff.count} differ (${diff.examples.join(' ')})`);
  }
  return error === 0 ? { passed: true, error } : { passed: false, error, detail: details.join('; ') };
}

export const runMinerCase: CaseRunner = (c): CaseOutcome => {
  const build = BUILDERS[c.name];
  if (!build) return { passed: false, error: NaN, detail: `unknown miner case '${c.name}'` };
  const embeddings = tf.tensor2d(c.embeddings as number[][], undefined, 'float32');
  try {
    return compare(c, build(c).mine(embeddings, c.labels as number[]));
  } finally {
    embeddings.dispose();
  }
};
