/**
 * The shared half of every miner: validate, compute the distance matrix without gradients (in
 * tf.tidy, read once), then the subclass picks tuples in plain JavaScript. Anchors come from the
 * batch; candidates from the batch too, or from a reference (a cross-batch memory), in which case
 * indices p and n point into the reference.
 */
import * as tf from '../tf';
import { FloatReader } from '../backend/float-reader';
import type { Distance } from '../distances';
import { forEachCandidate as visitCandidates, resolveCandidates, type Reference } from '../losses/reference';
import type { LabelsLike, Miner, MinerResult, MinerStats, PairIndices, TripletIndices } from '../types';
import { checkEmbeddings, finiteCheckNeeded, labelsToArray } from '../validate';
import { KEEP_NEGATIVE, KEEP_POSITIVE, pairsFromMarks } from './pair-grid';

/**
 * What `mineFrom` sees: the [N, M] matrix of anchors against candidates (row-major), both label
 * sets, and per anchor the candidate that is the anchor itself (never paired with it), or -1.
 */
export interface MinerInput {
  mat: Float32Array;
  labels: Int32Array;
  n: number;
  refLabels: Int32Array;
  m: number;
  self: Int32Array;
  dim: number;
  distance: Distance;
}

export abstract class BaseMiner implements Miner {
  constructor(
    readonly name: string,
    protected readonly distance: Distance,
  ) {}

  /** Reads the distance matrix into a buffer reused across calls (a fresh one costs page faults). */
  private readonly reader = new FloatReader();

  protected abstract mineFrom(input: MinerInput): MinerResult;

  /**
   * Tuples of the batch, or of anchors from the batch against a reference's candidates.
   *
   * @example
   * miner.mine(embeddings, labels);
   * miner.mine(embeddings, labels, { embeddings: memory, labels: memoryLabels }); // anchors against the memory
   */
  mine(embeddings: tf.Tensor2D, labels: LabelsLike, reference?: Reference): MinerResult {
    // Inside a training step the step's NaN guard catches non-finite embeddings (see withFiniteGuard).
    const n = checkEmbeddings(this.name, embeddings, { checkFinite: finiteCheckNeeded(embeddings) });
    const lab = labelsToArray(this.name, labels, n);
    const ref = resolveCandidates(this.name, embeddings, lab, reference);
    const matrix = tf.tidy(() =>
      ref.isBatch ? this.distance.pairwise(embeddings) : this.distance.pairwise(embeddings, ref.embeddings),
    );
    const mat = this.reader.read(matrix);
    matrix.dispose();
    return this.mineFrom({
      mat,
      labels: lab,
      n,
      refLabels: ref.labels,
      m: ref.m,
      self: ref.self,
      dim: embeddings.shape[1],
      distance: this.distance,
    });
  }
}

/**
 * A growable Int32Array. Miners can keep a million pairs at B = 1024; pushing that many numbers
 * onto plain arrays cost about 150 ms (the multi-similarity miner), doubling a typed buffer does not.
 */
class IndexBuffer {
  private data = new Int32Array(256);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  /** The pushed values (a view of this buffer, which is not used after: no copy). */
  toArray(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Growable index lists, turned into the Int32Array contract at the end. */
export class TripletList {
  private readonly a = new IndexBuffer();
  private readonly p = new IndexBuffer();
  private readonly n = new IndexBuffer();
  push(a: number, p: number, n: number): void {
    this.a.push(a);
    this.p.push(p);
    this.n.push(n);
  }
  result(candidates: number): TripletIndices & { stats: MinerStats } {
    return {
      a: this.a.toArray(),
      p: this.p.toArray(),
      n: this.n.toArray(),
      stats: { mined: this.a.length, candidates },
    };
  }
}

export class PairList {
  private readonly a1 = new IndexBuffer();
  private readonly p = new IndexBuffer();
  private readonly a2 = new IndexBuffer();
  private readonly n = new IndexBuffer();
  positive(a: number, p: number): void {
    this.a1.push(a);
    this.p.push(p);
  }
  negative(a: number, n: number): void {
    this.a2.push(a);
    this.n.push(n);
  }
  result(candidates: number): PairIndices & { stats: MinerStats } {
    return {
      a1: this.a1.toArray(),
      p: this.p.toArray(),
      a2: this.a2.toArray(),
      n: this.n.toArray(),
      stats: { mined: this.a1.length + this.a2.length, candidates },
    };
  }
}

/**
 * Number of valid triplets (anchor, positive candidate, negative candidate): per anchor, its
 * positives times its negatives, from one count of the candidates' labels (O(N + M), not O(N·M)).
 */
export function countTriplets({ labels, n, refLabels, m, self }: MinerInput): number {
  const perLabel = new Map<number, number>();
  for (let j = 0; j < m; j++) perLabel.set(refLabels[j], (perLabel.get(refLabels[j]) ?? 0) + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = self[i] >= 0 ? 1 : 0;
    const pos = (perLabel.get(labels[i]) ?? 0) - (own && refLabels[self[i]] === labels[i] ? 1 : 0);
    total += pos * (m - own - pos);
  }
  return total;
}

/** Number of (anchor, candidate) pairs, the anchor itself excluded. */
export function countPairs({ n, m, self }: MinerInput): number {
  let total = n * m;
  for (let i = 0; i < n; i++) if (self[i] >= 0) total--;
  return total;
}

/**
 * Per anchor i: `visit(j, positive)` for each candidate j except i itself.
 *
 * @example
 * const negatives: number[] = [];
 * forEachCandidate(input, 0, (j, positive) => { if (!positive) negatives.push(j); }); // anchor 0's negatives
 */
export function forEachCandidate(
  { labels, refLabels, m, self }: MinerInput,
  i: number,
  visit: (j: number, positive: boolean) => void,
): void {
  visitCandidates(labels, { labels: refLabels, m, self }, i, visit);
}

/**
 * Anchor i's positive and negative candidates, in candidate order (i itself excluded).
 *
 * @example
 * const { positives, negatives } = splitCandidates(input, 0); // anchor 0's candidates
 */
export function splitCandidates(input: MinerInput, i: number): { positives: number[]; negatives: number[] } {
  const positives: number[] = [];
  const negatives: number[] = [];
  forEachCandidate(input, i, (j, positive) => (positive ? positives : negatives).push(j));
  return { positives, negatives };
}

/**
 * Per anchor: the farthest positive and the closest negative candidate (-1 if none).
 *
 * @example
 * const { hardPos, hardNeg } = extremes(input); // used by batchHard and multiSimilarity
 */
export function extremes(input: MinerInput): {
  hardPos: Int32Array;
  hardNeg: Int32Array;
} {
  // One pass over the matrix in plain loops (it runs on every training step: no visitor closure).
  const { mat, labels, refLabels, n, m, self, distance } = input;
  const hardPos = new Int32Array(n).fill(-1);
  const hardNeg = new Int32Array(n).fill(-1);
  const sign = distance.isInverted ? -1 : 1; // distance.marginOf(x, y) = sign (x - y), inlined
  for (let i = 0; i < n; i++) {
    const row = i * m;
    const label = labels[i];
    let p = -1;
    let q = -1;
    for (let j = 0; j < m; j++) {
      if (j === self[i]) continue;
      const d = mat[row + j];
      if (refLabels[j] === label) {
        if (p < 0 || sign * (d - mat[row + p]) > 0) p = j;
      } else if (q < 0 || sign * (mat[row + q] - d) > 0) {
        q = j;
      }
    }
    hardPos[i] = p;
    hardNeg[i] = q;
  }
  return { hardPos, hardNeg };
}

/**
 * The (anchor, candidate) pairs whose `keep(i, j, d, positive)` is true, as PairIndices.
 *
 * @example
 * filterPairs(input, (i, j, d, positive) => (positive ? d > 0.2 : d < 0.8)); // pair-margin mining
 */
export function filterPairs(
  input: MinerInput,
  keep: (i: number, j: number, d: number, positive: boolean) => boolean,
): MinerResult {
  const { mat, labels, refLabels, n, m, self } = input;
  const marks = new Uint8Array(n * m);
  // Local copies: an imported binding can compile to a getter call (tsx), once per pair.
  const [keepPositive, keepNegative] = [KEEP_POSITIVE, KEEP_NEGATIVE];
  // forEachCandidate's rule in plain loops: it runs on every training step, over N·M pairs.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (j === self[i]) continue;
      const positive = labels[i] === refLabels[j];
      if (keep(i, j, mat[i * m + j], positive)) marks[i * m + j] = positive ? keepPositive : keepNegative;
    }
  }
  return pairsFromMarks(marks, n, m, countPairs(input));
}
