/**
 * Embedding health: plain numbers that tell whether training is working — norm statistics, mean
 * positive/negative distance and their histograms, two collapse indicators (how many directions
 * the embeddings use, and how far apart different classes sit relative to the embeddings' norm),
 * alignment and uniformity (Wang & Isola 2020), and the fraction of triplets still active at a
 * margin. Pairs and triplets are sampled with a seed when N is large.
 */
import type { LabelsLike } from '../types';
import { type SeedLike, toRandom } from '../random';
import { checkNumber, fail, labelsToArray } from '../validate';
import { symmetricEigen } from '../linalg/eigen';
import { covariance } from '../linalg/pca';
import { type VectorsLike, squaredDistance, toMatrix } from '../linalg/matrix';

export interface HealthOptions {
  seed: SeedLike;
  /** Pairs used for distances, histograms and alignment/uniformity (default 100,000; all pairs if fewer). */
  maxPairs?: number;
  /** Histogram bins over [0, histogramMax] (default 20 bins, max 2 = the diameter of the unit sphere). */
  bins?: number;
  histogramMax?: number;
  /** Margin for the active-triplet fraction (default 0.2) and how many triplets to sample (default 10,000). */
  margin?: number;
  triplets?: number;
  /**
   * `collapsed` is true when relativeNegativeDistance falls below this (default 0.1: on
   * unit-norm embeddings, different-class points are on average closer than a chord of 0.1,
   * an angle of about 5.7 degrees).
   */
  collapseThreshold?: number;
}

export interface EmbeddingHealth {
  norm: { mean: number; std: number; min: number; max: number };
  /** Mean euclidean distance over sampled positive / negative pairs (NaN if none). */
  meanPositiveDistance: number;
  meanNegativeDistance: number;
  /** Bin edges (bins + 1) and counts per bin; distances above the range go to the last bin. */
  histogram: { edges: number[]; positive: number[]; negative: number[] };
  /** exp(entropy of the normalized covariance spectrum): 1 = collapsed to a line, D = isotropic. */
  effectiveRank: number;
  /** (sum λ)^2 / sum λ^2 over covariance eigenvalues. */
  participationRatio: number;
  /** Share of variance along the top principal direction. */
  topComponentFraction: number;
  /** E ||f(x) - f(y)||^2 over positive pairs, f = L2-normalized embedding (lower = better aligned). */
  alignment: number;
  /** log E exp(-2 ||f(x) - f(y)||^2) over all sampled pairs (lower = more uniform). */
  uniformity: number;
  /** Fraction of sampled valid triplets with d_ap - d_an + margin > 0 (squared L2 on normalized embeddings, the course's triplet loss). */
  fractionActiveTriplets: number;
  pairsUsed: number;
  tripletsUsed: number;
  /** Mean euclidean distance over all sampled pairs, whatever their labels (same units as the embeddings). */
  meanPairwiseDistance: number;
  /**
   * meanNegativeDistance / norm.mean: how far apart different-class embeddings are, in units of
   * the embeddings' own scale, so it does not change when every embedding is multiplied by a
   * constant. For unit-norm embeddings it is meanNegativeDistance itself, in [0, 2] (about
   * sqrt(2) for random directions in many dimensions, 0 for a collapse to one point). 0 when every
   * embedding is zero; NaN when no different-class pair was sampled.
   */
  relativeNegativeDistance: number;
  /**
   * relativeNegativeDistance < collapseThreshold: the embeddings shrank to (near) one point
   * relative to their norm. Effective rank cannot see this, since a tiny cloud can still be
   * isotropic. False when relativeNegativeDistance is NaN (a single class).
   */
  collapsed: boolean;
}

const FN = 'embeddingHealth';

/**
 * @example
 * const h = embeddingHealth(embeddings, labels, { seed: 0 });
 * h.effectiveRank;           // near 1 means the embeddings collapsed
 * h.fractionActiveTriplets;  // near 0 means the negatives are all easy
 * h.collapsed;               // true when different classes sit on (nearly) one point
 */
export function embeddingHealth(embeddings: VectorsLike, labels: LabelsLike, options: HealthOptions): EmbeddingHealth {
  const x = toMatrix(FN, embeddings, 'embeddings');
  const y = labelsToArray(FN, labels, x.rows);
  if (x.rows < 2) fail(FN, 'embeddings', 'have at least 2 rows', x.rows);
  if (options?.seed === undefined) {
    fail(FN, 'options.seed', 'be given (an integer or a Random): pairs and triplets are sampled', options?.seed);
  }
  const rng = toRandom(options.seed);
  const maxPairs = checkNumber(FN, 'maxPairs', options.maxPairs ?? 100000, { min: 1, integer: true });
  const bins = checkNumber(FN, 'bins', options.bins ?? 20, { min: 1, integer: true });
  const hMax = checkNumber(FN, 'histogramMax', options.histogramMax ?? 2, { min: 0, minExclusive: true });
  const margin = checkNumber(FN, 'margin', options.margin ?? 0.2);
  const nTriplets = checkNumber(FN, 'triplets', options.triplets ?? 10000, { min: 1, integer: true });
  const collapseThreshold = checkNumber(FN, 'collapseThreshold', options.collapseThreshold ?? 0.1, {
    min: 0,
    minExclusive: true,
  });
  const D = x.dims;

  const norms = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++)
    norms[i] = Math.sqrt(squaredDistance(x, i, { data: new Float32Array(D), rows: 1, dims: D }, 0));
  const meanNorm = norms.reduce((s, v) => s + v, 0) / x.rows;
  const normStd = Math.sqrt(norms.reduce((s, v) => s + (v - meanNorm) ** 2, 0) / x.rows);
  const unit = {
    data: x.data.map((v, i) => (norms[Math.floor(i / D)] > 0 ? v / norms[Math.floor(i / D)] : 0)),
    rows: x.rows,
    dims: D,
  };

  // Pairs: all of them when few enough, else a seeded sample of distinct-index pairs.
  const total = (x.rows * (x.rows - 1)) / 2;
  const pairs: [number, number][] = [];
  if (total <= maxPairs) {
    for (let i = 0; i < x.rows; i++) for (let j = i + 1; j < x.rows; j++) pairs.push([i, j]);
  } else {
    while (pairs.length < maxPairs) {
      const i = rng.int(x.rows);
      const j = rng.int(x.rows);
      if (i !== j) pairs.push([i, j]);
    }
  }
  const edges = Array.from({ length: bins + 1 }, (_, b) => (b * hMax) / bins);
  const positive = new Array<number>(bins).fill(0);
  const negative = new Array<number>(bins).fill(0);
  let pos = 0;
  let neg = 0;
  let posSum = 0;
  let negSum = 0;
  let align = 0;
  let uniform = 0;
  let allSum = 0;
  for (const [i, j] of pairs) {
    const d = Math.sqrt(squaredDistance(x, i, x, j));
    allSum += d;
    const u2 = squaredDistance(unit, i, unit, j);
    const bin = Math.min(bins - 1, Math.floor((d / hMax) * bins));
    uniform += Math.exp(-2 * u2);
    if (y[i] === y[j]) {
      pos++;
      posSum += d;
      align += u2;
      positive[bin]++;
    } else {
      neg++;
      negSum += d;
      negative[bin]++;
    }
  }

  const { cov } = covariance(x);
  // Eigenvalues only: the spectrum's shape is the collapse indicator, no axes needed.
  const lambda = symmetricEigen(cov, D, { vectors: 0 }).values.map((v) => Math.max(0, v));
  const lSum = lambda.reduce((s, v) => s + v, 0);
  const lSq = lambda.reduce((s, v) => s + v * v, 0);
  let entropy = 0;
  for (const v of lambda) if (v > 0) entropy -= (v / lSum) * Math.log(v / lSum);

  const { active, used } = activeTriplets(unit, y, margin, nTriplets, rng);
  const meanNegativeDistance = neg > 0 ? negSum / neg : NaN;
  // All-zero embeddings: every distance is 0 too, the limit of a collapse, so call it 0.
  const relativeNegativeDistance = meanNorm > 0 ? meanNegativeDistance / meanNorm : neg > 0 ? 0 : NaN;
  return {
    norm: { mean: meanNorm, std: normStd, min: Math.min(...norms), max: Math.max(...norms) },
    meanPositiveDistance: pos > 0 ? posSum / pos : NaN,
    meanNegativeDistance,
    histogram: { edges, positive, negative },
    effectiveRank: lSum > 0 ? Math.exp(entropy) : 0,
    participationRatio: lSq > 0 ? (lSum * lSum) / lSq : 0,
    topComponentFraction: lSum > 0 ? lambda[0] / lSum : NaN,
    alignment: pos > 0 ? align / pos : NaN,
    uniformity: Math.log(uniform / pairs.length),
    fractionActiveTriplets: used > 0 ? active / used : NaN,
    pairsUsed: pairs.length,
    tripletsUsed: used,
    meanPairwiseDistance: allSum / pairs.length,
    relativeNegativeDistance,
    collapsed: relativeNegativeDistance < collapseThreshold,
  };
}

function activeTriplets(
  unit: { data: Float32Array; rows: number; dims: number },
  y: Int32Array,
  margin: number,
  n: number,
  rng: ReturnType<typeof toRandom>,
): { active: number; used: number } {
  const byLabel = new Map<number, number[]>();
  y.forEach((l, i) => {
    const list = byLabel.get(l);
    if (list) list.push(i);
    else byLabel.set(l, [i]);
  });
  const anchors = Array.from(y.keys()).filter((i) => (byLabel.get(y[i]) as number[]).length > 1);
  if (anchors.length === 0 || byLabel.size < 2) return { active: 0, used: 0 };
  let active = 0;
  let used = 0;
  for (let t = 0; t < n * 20 && used < n; t++) {
    const a = rng.choice(anchors);
    const same = byLabel.get(y[a]) as number[];
    const p = rng.choice(same);
    const m = rng.int(y.length);
    if (p === a || y[m] === y[a]) continue;
    used++;
    if (squaredDistance(unit, a, unit, p) - squaredDistance(unit, a, unit, m) + margin > 0) active++;
  }
  return { active, used };
}
