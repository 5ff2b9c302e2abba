/**
 * Parity runner for 'xbm' cases (format metriclab-parity-xbm/1): a cross-batch memory wrapping
 * the loss the case names is fed the case's batches in order, and the loss after each batch is
 * compared with the reference's (abs or rel error <= 1e-4). The loss parameters are read from the
 * case's semantics text ("contrastive, pos_margin 0, neg_margin 1", "triplet margin 0.1", ...).
 */
import * as tf from '../tf';
import { distances } from '../distances';
import { losses, type BaseMetricLoss } from '../losses';
import { crossBatchMemory } from '../losses/cross-batch-memory';
import { LOSS_TOLERANCE, lossError } from './losses';
import type { CaseOutcome, CaseRunner, ParityCase } from './types';

/** A number that follows `key` in the case's loss description, e.g. 'neg_margin 1'. */
function param(c: ParityCase, key: string): number {
  const text = String(c.semantics.loss ?? '');
  const match = new RegExp(`\\b${key} (-?[\\d.]+(?:e-?\\d+)?)`).exec(text);
  if (!match) throw new Error(`case ${c.name}: semantics.loss does not give ${key}`);
  return Number(match[1]);
}

const l2 = distances.euclidean({ squared: false, normalize: true });

/** The wrapped loss of each case name (distances as the wrapper semantics say). */
const BUILDERS: Record<string, (c: ParityCase) => BaseMetricLoss> = {
  xbm_contrastive_pos0_neg1: (c) =>
    losses.contrastive({ posMargin: param(c, 'pos_margin'), negMargin: param(c, 'neg_margin'), distance: l2 }),
  'xbm_triplet_m0.1': (c) =>
    losses.tripletMargin({ margin: param(c, 'margin'), distance: l2, reduction: 'meanNonZero' }),
  xbm_multi_similarity: (c) =>
    losses.multiSimilarity({ alpha: param(c, 'alpha'), beta: param(c, 'beta'), base: param(c, 'base') }),
};

interface Batch {
  embeddings: number[][];
  labels: number[];
}

function isBatch(b: unknown): b is Batch {
  const x = b as Batch;
  return Array.isArray(x?.embeddings) && Array.isArray(x.labels) && x.embeddings.length === x.labels.length;
}

/**
 * @example
 * runXbmCase(readParityFile('test/fixtures/xbm-parity.json').cases[0]); // { passed: true, error: 3e-8 }
 */
export const runXbmCase: CaseRunner = (c): CaseOutcome => {
  const build = BUILDERS[c.name];
  if (!build) return { passed: false, error: NaN, detail: `unknown xbm case '${c.name}'` };
  const batches = c.batches;
  const expected = c.expected.losses;
  if (!Array.isArray(batches) || !batches.every(isBatch))
    return { passed: false, error: NaN, detail: 'batches malformed' };
  if (!Array.isArray(expected) || expected.length !== batches.length) {
    return { passed: false, error: NaN, detail: 'expected.losses must give one loss per batch' };
  }
  const memorySize = c.semantics.memory_size;
  if (typeof memorySize !== 'number') return { passed: false, error: NaN, detail: 'semantics.memory_size missing' };
  const memory = crossBatchMemory({ loss: build(c), embeddingSize: batches[0].embeddings[0].length, memorySize });
  try {
    let error = 0;
    const bad: string[] = [];
    batches.forEach((b, k) => {
      const value = tf.tidy(() => {
        const e = tf.tensor2d(b.embeddings, undefined, 'float32');
        return memory.compute(e, b.labels).loss.dataSync()[0];
      });
      const e = lossError(value, expected[k] as number);
      error = Math.max(error, e);
      if (!(e <= LOSS_TOLERANCE)) bad.push(`batch ${k}: loss ${value}, expected ${expected[k]}`);
    });
    return bad.length === 0 ? { passed: true, error } : { passed: false, error, detail: bad.join('; ') };
  } finally {
    memory.dispose();
  }
};
