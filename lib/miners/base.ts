/**
 * The shared half of every miner: validate, compute the distance matrix without gradients (in
 * tf.tidy, read once), then the subclass picks tuples in plain JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import type { Distance } from '../distances';
import type { LabelsLike, Miner, MinerResult, MinerStats, PairIndices, TripletIndices } from '../types';
import { checkEmbeddings, labelsToArray } from '../validate';

/** What `mineFrom` sees: the [N, N] matrix (row-major), labels, N and the embedding size. */
export interface MinerInput {
  mat: Float32Array;
  labels: Int32Array;
  n: number;
  dim: number;
  distance: Distance;
}

export abstract class BaseMiner implements Miner {
  constructor(
    readonly name: string,
    protected readonly distance: Distance,
  ) {}

  protected abstract mineFrom(input: MinerInput): MinerResult;

  mine(embeddings: tf.Tensor2D, labels: LabelsLike): MinerResult {
    const n = checkEmbeddings(this.name, embeddings);
    const lab = labelsToArray(this.name, labels, n);
    const matrix = tf.tidy(() => this.distance.pairwise(embeddings));
    const mat = matrix.dataSync() as Float32Array;
    matrix.dispose();
    return this.mineFrom({ mat, labels: lab, n, dim: embeddings.shape[1], distance: this.distance });
  }
}

/** Growable index lists, turned into the Int32Array contract at the end. */
export class TripletList {
  readonly a: number[] = [];
  readonly p: number[] = [];
  readonly n: number[] = [];
  push(a: number, p: number, n: number): void {
    this.a.push(a);
    this.p.push(p);
    this.n.push(n);
  }
  result(candidates: number): TripletIndices & { stats: MinerStats } {
    return {
      a: Int32Array.from(this.a),
      p: Int32Array.from(this.p),
      n: Int32Array.from(this.n),
      stats: { mined: this.a.length, candidates },
    };
  }
}

export class PairList {
  readonly a1: number[] = [];
  readonly p: number[] = [];
  readonly a2: number[] = [];
  readonly n: number[] = [];
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
      a1: Int32Array.from(this.a1),
      p: Int32Array.from(this.p),
      a2: Int32Array.from(this.a2),
      n: Int32Array.from(this.n),
      stats: { mined: this.a1.length + this.a2.length, candidates },
    };
  }
}

/** Number of valid triplets (a, p, n) of a batch. */
export function countTriplets(labels: Int32Array): number {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let total = 0;
  for (const c of counts.values()) total += c * (c - 1) * (labels.length - c);
  return total;
}

/** Number of ordered pairs i != j. */
export function countPairs(n: number): number {
  return n * (n - 1);
}

/**
 * Per anchor: the farthest positive and the closest negative (index and value, -1 if none).
 *
 * @example
 * const { hardPos, hardNeg } = extremes(input); // used by batchHard and multiSimilarity
 */
export function extremes({ mat, labels, n, distance }: MinerInput): {
  hardPos: Int32Array;
  hardNeg: Int32Array;
} {
  const hardPos = new Int32Array(n).fill(-1);
  const hardNeg = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = mat[i * n + j];
      if (labels[i] === labels[j]) {
        if (hardPos[i] < 0 || distance.marginOf(d, mat[i * n + hardPos[i]]) > 0) hardPos[i] = j;
      } else if (hardNeg[i] < 0 || distance.marginOf(mat[i * n + hardNeg[i]], d) > 0) {
        hardNeg[i] = j;
      }
    }
  }
  return { hardPos, hardNeg };
}

/**
 * The ordered pairs (i != j) of a batch whose `keep(i, j, d, positive)` is true, as PairIndices.
 *
 * @example
 * filterPairs(input, (i, j, d, positive) => (positive ? d > 0.2 : d < 0.8)); // pair-margin mining
 */
export function filterPairs(
  { mat, labels, n }: MinerInput,
  keep: (i: number, j: number, d: number, positive: boolean) => boolean,
): MinerResult {
  const out = new PairList();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const positive = labels[i] === labels[j];
      if (!keep(i, j, mat[i * n + j], positive)) continue;
      if (positive) out.positive(i, j);
      else out.negative(i, j);
    }
  }
  return out.result(countPairs(n));
}
