/**
 * What the length of an embedding carries. A loss on L2-normalised embeddings never sees the
 * norm, one on raw vectors may use it; these statistics say whether the norm of a trained
 * embedding tracks how sure the embedding is about an item (its 1-NN is right, its nearest
 * other-class neighbour is far) or how often its class was seen in training. Plain loops in
 * float64 over all pairs: O(N² D), meant for evaluation sets of a few thousand items.
 */
import type { LabelsLike } from '../types';
import { checkOneOf, fail, labelsToArray } from '../validate';
import { KNN_DISTANCES, type KnnDistance } from '../search/exact';
import { type Matrix, type VectorsLike, toMatrix } from '../linalg/matrix';

/**
 * L2 norm of every row, in float64.
 *
 * @example
 * rowNorms([[3, 4], [0, 1]]); // Float64Array [5, 1]
 */
export function rowNorms(vectors: VectorsLike): Float64Array {
  const m = toMatrix('rowNorms', vectors);
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0; j < m.dims; j++) s += m.data[i * m.dims + j] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * Ranks 1..n of the values, ties given their average rank (the ranks of Spearman's rho and the
 * Mann-Whitney U statistic).
 *
 * @example
 * averageRanks([10, 30, 20, 20]); // Float64Array [1, 4, 2.5, 2.5]
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 .. end
    for (let t = start; t < end; t++) ranks[order[t]] = rank;
    start = end;
  }
  return ranks;
}

function checkPaired(fn: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a?.length === undefined || a.length < 2) fail(fn, 'a', 'hold at least 2 numbers', a?.length ?? typeof a);
  if (b?.length !== a.length) fail(fn, 'b', `hold one number per entry of a (${a.length})`, b?.length ?? typeof b);
  for (const [arg, v] of [
    ['a', a],
    ['b', b],
  ] as const) {
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) fail(fn, `${arg}[${i}]`, 'be finite', v[i]);
  }
}

function pearsonOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Spearman's rank correlation (Pearson's r of the average ranks): +1 when b grows with a in
 * every pair, whatever the shape of the relation. NaN when either side is constant.
 *
 * @example
 * spearman([1, 2, 3, 4], [10, 20, 25, 100]); // 1
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPaired('spearman', a, b);
  return pearsonOf(averageRanks(a), averageRanks(b));
}

/**
 * Area under the ROC curve of `scores` separating the items with `positive` set from the others
 * (Mann-Whitney U / (n₊ n₋), ties count one half): 0.5 = the score says nothing, 1 = every
 * positive scores higher than every negative. NaN when one group is empty.
 *
 * @example
 * rankAuc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]); // 1
 */
export function rankAuc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number {
  const fn = 'rankAuc';
  if (positive?.length !== scores?.length)
    fail(fn, 'positive', `hold one flag per score (${scores?.length})`, positive?.length ?? typeof positive);
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i])) fail(fn, `scores[${i}]`, 'be finite', scores[i]);
  const ranks = averageRanks(scores);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < ranks.length; i++) {
    if (positive[i]) {
      nPos++;
      rankSum += ranks[i];
    }
  }
  const nNeg = ranks.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Per item: its nearest same-class and other-class neighbour and the gap between them. */
export interface NeighbourMargins {
  /** Distance to the nearest other item of the same class (Infinity if none). */
  nearestSame: Float64Array;
  /** Distance to the nearest item of another class (Infinity if none). */
  nearestOther: Float64Array;
  /** nearestOther - nearestSame: > 0 when the 1-NN is of the item's class; larger = safer. */
  margin: Float64Array;
  /** 1 when the nearest neighbour is of the same class (ties go to the other class). */
  correct: Uint8Array;
}

function distanceOf(distance: KnnDistance, m: Matrix, norms: Float64Array, i: number, j: number): number {
  const d = m.dims;
  let dotv = 0;
  let sq = 0;
  for (let t = 0; t < d; t++) {
    const a = m.data[i * d + t];
    const b = m.data[j * d + t];
    dotv += a * b;
    sq += (a - b) * (a - b);
  }
  switch (distance) {
    case 'euclidean':
      return Math.sqrt(sq);
    case 'cosine':
      return 1 - dotv / Math.max(norms[i] * norms[j], 1e-300);
    case 'dot':
      return -dotv;
  }
}

/**
 * Leave-one-out nearest same-class and other-class neighbour of every item, in the sense of
 * `distance` (the retrieval metrics' KnnDistance: smaller = closer), computed in float64.
 *
 * @example
 * const m = neighbourMargins([[0, 0], [0, 1], [5, 0], [5, 2]], [0, 0, 1, 1], { distance: 'euclidean' });
 * m.margin;  // Float64Array [4, ~4.1, 3, ~3.1]: every item's 1-NN is of its own class
 * m.correct; // Uint8Array [1, 1, 1, 1]
 */
export function neighbourMargins(
  vectors: VectorsLike,
  labels: LabelsLike,
  options: { distance?: KnnDistance } = {},
): NeighbourMargins {
  const fn = 'neighbourMargins';
  const m = toMatrix(fn, vectors);
  const y = labelsToArray(fn, labels, m.rows);
  const distance = checkOneOf(fn, 'distance', options.distance ?? 'euclidean', KNN_DISTANCES);
  if (m.rows < 2) fail(fn, 'vectors', 'hold at least 2 rows', m.rows);
  const norms = rowNorms(m);
  const nearestSame = new Float64Array(m.rows).fill(Infinity);
  const nearestOther = new Float64Array(m.rows).fill(Infinity);
  for (let i = 0; i < m.rows; i++) {
    for (let j = i + 1; j < m.rows; j++) {
      const v = distanceOf(distance, m, norms, i, j);
      const near = y[i] === y[j] ? nearestSame : nearestOther;
      if (v < near[i]) near[i] = v;
      if (v < near[j]) near[j] = v;
    }
  }
  const margin = nearestOther.map((o, i) => o - nearestSame[i]);
  const correct = Uint8Array.from(margin, (g) => (g > 0 ? 1 : 0));
  return { nearestSame, nearestOther, margin, correct };
}

/** How much the embedding norm says about an item's confidence. */
export interface NormConfidence {
  /** Spearman's rho between the norm and the neighbour margin (finite margins only). */
  normVsMargin: number;
  /** AUC of the norm separating items whose 1-NN is right from those whose 1-NN is wrong (0.5 = nothing). */
  normAucForCorrect: number;
  /** Mean norm of the items whose 1-NN is right, and of those whose 1-NN is wrong (NaN if none). */
  meanNormCorrect: number;
  meanNormWrong: number;
  /** Fraction of items whose 1-NN is of their class (Recall@1 under `distance`). */
  recallAt1: number;
}

/**
 * Correlates each embedding's norm with its neighbour margin and with the correctness of its
 * 1-NN under `distance` (default 'cosine', where the norm plays no part in the ranking, so any
 * link is information the ranking throws away).
 *
 * @example
 * const c = normConfidence(embeddings, labels, { distance: 'cosine' });
 * c.normAucForCorrect; // e.g. 0.62: right answers have somewhat longer embeddings
 */
export function normConfidence(
  vectors: VectorsLike,
  labels: LabelsLike,
  options: { distance?: KnnDistance } = {},
): NormConfidence {
  const fn = 'normConfidence';
  const m = toMatrix(fn, vectors);
  const norms = rowNorms(m);
  const nm = neighbourMargins(m, labels, { distance: options.distance ?? 'cosine' });
  const finite = Array.from(nm.margin.keys()).filter((i) => Number.isFinite(nm.margin[i]));
  if (finite.length < 2)
    fail(fn, 'labels', 'give at least 2 items with same- and other-class neighbours', finite.length);
  const mean = (keep: (i: number) => boolean): number => {
    let s = 0;
    let n = 0;
    norms.forEach((v, i) => {
      if (keep(i)) {
        s += v;
        n++;
      }
    });
    return n ? s / n : NaN;
  };
  const fin = (a: Float64Array): Float64Array => Float64Array.from(finite, (i) => a[i]);
  return {
    normVsMargin: pearsonOf(averageRanks(fin(norms)), averageRanks(fin(nm.margin))),
    normAucForCorrect: rankAuc(norms, nm.correct),
    meanNormCorrect: mean((i) => nm.correct[i] === 1),
    meanNormWrong: mean((i) => nm.correct[i] === 0),
    recallAt1: nm.correct.reduce((s, c) => s + c, 0) / nm.correct.length,
  };
}

/**
 * Mean norm of each class's embeddings, by class label (ascending).
 *
 * @example
 * meanNormByClass([[3, 4], [0, 1], [0, 3]], [0, 1, 1]); // Map { 0 => 5, 1 => 2 }
 */
export function meanNormByClass(vectors: VectorsLike, labels: LabelsLike): Map<number, number> {
  const fn = 'meanNormByClass';
  const m = toMatrix(fn, vectors);
  const y = labelsToArray(fn, labels, m.rows);
  const norms = rowNorms(m);
  const sums = new Map<number, [number, number]>();
  y.forEach((c, i) => {
    const e = sums.get(c) ?? [0, 0];
    e[0] += norms[i];
    e[1]++;
    sums.set(c, e);
  });
  return new Map([...sums.entries()].sort((a, b) => a[0] - b[0]).map(([c, [s, n]]) => [c, s / n]));
}
