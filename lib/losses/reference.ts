/**
 * Reference embeddings: the candidates an anchor is paired with, when they are not the batch
 * itself (pytorch-metric-learning's `ref_emb`, `ref_labels`). Cross-batch memory passes its ring
 * here: anchors come from the batch, positives and negatives from the ring. Losses and miners
 * resolve both cases to one `Candidates` shape, so each is written once for both.
 */
import type * as tf from '../tf';
import type { LabelsLike } from '../types';
import { checkEmbeddings, checkNumber, fail, labelsToArray } from '../validate';

/** Candidates other than the batch, given to `loss.compute` and `miner.mine`. */
export interface Reference {
  /** [M, D] candidate embeddings (same D as the anchors). */
  embeddings: tf.Tensor2D;
  /** [M] their labels. */
  labels: LabelsLike;
  /**
   * Per anchor, the row of `embeddings` that is the anchor itself (a copy of it), never paired
   * with it; -1 where none is. Default: no anchor is among the candidates.
   */
  selfIndex?: ArrayLike<number>;
}

/** Validated candidates of a batch: the reference, or the batch itself when none is given. */
export interface Candidates {
  /** [M, D] */
  embeddings: tf.Tensor2D;
  labels: Int32Array;
  m: number;
  /** self[i]: the candidate that is anchor i itself (excluded from its pairs), or -1. */
  self: Int32Array;
  /** True when the candidates are the batch (no reference given). */
  isBatch: boolean;
}

/**
 * Checks a reference against its anchors (naming `fn`) and resolves it; without one the
 * candidates are the batch, each anchor being its own self.
 *
 * @example
 * const ref = resolveCandidates('contrastive', embeddings, Int32Array.from(labels), { embeddings: memory, labels: memoryLabels });
 * ref.m; // memory.shape[0]: the candidates are the memory's rows
 */
export function resolveCandidates(
  fn: string,
  embeddings: tf.Tensor2D,
  labels: Int32Array,
  reference?: Reference,
): Candidates {
  const n = labels.length;
  if (!reference) {
    return { embeddings, labels, m: n, self: Int32Array.from({ length: n }, (_, i) => i), isBatch: true };
  }
  if (typeof reference !== 'object') fail(fn, 'reference', 'be { embeddings, labels, selfIndex? }', reference);
  const m = checkEmbeddings(fn, reference.embeddings, { arg: 'reference.embeddings' });
  if (reference.embeddings.shape[1] !== embeddings.shape[1]) {
    fail(fn, 'reference.embeddings', `have the embeddings' size ${embeddings.shape[1]}`, reference.embeddings);
  }
  const refLabels = labelsToArray(fn, reference.labels, m, 'reference.labels');
  const self = new Int32Array(n).fill(-1);
  if (reference.selfIndex !== undefined) {
    if (reference.selfIndex.length !== n) {
      fail(fn, 'reference.selfIndex', `have one entry per anchor (${n})`, reference.selfIndex.length);
    }
    for (let i = 0; i < n; i++) {
      self[i] = checkNumber(fn, `reference.selfIndex[${i}]`, reference.selfIndex[i], {
        min: -1,
        max: m - 1,
        integer: true,
      });
    }
  }
  return { embeddings: reference.embeddings, labels: refLabels, m, self, isBatch: false };
}

/**
 * Per anchor i, `(j, positive)` for every candidate j except i itself.
 *
 * @example
 * const y = Int32Array.from([0, 0, 1]);
 * const seen: [number, boolean][] = [];
 * forEachCandidate(y, { labels: y, m: 3, self: Int32Array.from([0, 1, 2]) }, 0, (j, positive) => seen.push([j, positive]));
 * seen; // [[1, true], [2, false]]: anchor 0 itself is skipped
 */
export function forEachCandidate(
  labels: Int32Array,
  ref: Pick<Candidates, 'labels' | 'm' | 'self'>,
  i: number,
  visit: (j: number, positive: boolean) => void,
): void {
  for (let j = 0; j < ref.m; j++) if (j !== ref.self[i]) visit(j, labels[i] === ref.labels[j]);
}
