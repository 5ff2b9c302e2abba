/**
 * Clustering agreement: NMI and AMI exactly as scikit-learn 1.2 computes them (arithmetic-mean
 * normalization, natural log, the same special cases), and purity.
 */
import type { LabelsLike } from '../types';
import { fail, labelsToArray } from '../validate';

interface Contingency {
  n: number;
  /** Row sums (per class of the first labeling) and column sums. */
  a: number[];
  b: number[];
  /** Non-zero cells as [row, col, count]. */
  cells: [number, number, number][];
}

function contingency(fn: string, labels: LabelsLike, clusters: LabelsLike): Contingency {
  const x = labelsToArray(fn, labels, undefined, 'labels');
  const y = labelsToArray(fn, clusters, x.length, 'clusters');
  if (x.length === 0) fail(fn, 'labels', 'be non-empty', 'length 0');
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (const v of x) if (!rows.has(v)) rows.set(v, rows.size);
  for (const v of y) if (!cols.has(v)) cols.set(v, cols.size);
  const a = new Array<number>(rows.size).fill(0);
  const b = new Array<number>(cols.size).fill(0);
  const cellMap = new Map<number, number>();
  for (let i = 0; i < x.length; i++) {
    const r = rows.get(x[i]) as number;
    const c = cols.get(y[i]) as number;
    a[r]++;
    b[c]++;
    const key = r * cols.size + c;
    cellMap.set(key, (cellMap.get(key) ?? 0) + 1);
  }
  const cells: [number, number, number][] = [];
  for (const [key, count] of cellMap) cells.push([Math.floor(key / cols.size), key % cols.size, count]);
  return { n: x.length, a, b, cells };
}

function entropy(counts: number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * (Math.log(c) - Math.log(n));
  return h;
}

function mutualInfo(t: Contingency): number {
  let mi = 0;
  const logN = Math.log(t.n);
  for (const [r, c, nij] of t.cells) {
    const term = (nij / t.n) * (Math.log(nij) + logN - Math.log(t.a[r]) - Math.log(t.b[c]));
    mi += Math.abs(term) < Number.EPSILON ? 0 : term;
  }
  return Math.max(0, mi);
}

/**
 * log Γ(x) for x > 0: the Stirling series for x >= 15 (truncation error < 1e-16 relative), the
 * recurrence Γ(x) = Γ(x+m)/(x(x+1)...(x+m-1)) below. EMI sums exp of differences of these, so
 * each must be accurate on its own (a running sum of logs would accumulate error at N = 70,000).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) fail('logGamma', 'x', 'be > 0', x);
  let shift = 0;
  while (x < 15) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** Expected mutual information of two labelings under the hypergeometric model (Vinh et al. 2010). */
function expectedMutualInfo(t: Contingency): number {
  const { a, b, n: N } = t;
  if (a.length === 1 || b.length === 1) return 0;
  const maxN = Math.max(...a, ...b);
  const lf = new Float64Array(N + 1);
  for (let i = 0; i <= N; i++) lf[i] = logGamma(i + 1);
  const logN = Math.log(N);
  let emi = 0;
  for (const ai of a) {
    for (const bj of b) {
      const start = Math.max(1, ai + bj - N);
      const end = Math.min(ai, bj, maxN);
      const fixed = lf[ai] + lf[bj] + lf[N - ai] + lf[N - bj] - lf[N];
      for (let nij = start; nij <= end; nij++) {
        const term2 = logN + Math.log(nij) - Math.log(ai) - Math.log(bj);
        const gln = fixed - lf[nij] - lf[ai - nij] - lf[bj - nij] - lf[N - ai - bj + nij];
        emi += (nij / N) * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

/**
 * Normalized mutual information, MI / mean(H(labels), H(clusters)); 1 when both labelings put
 * everything in one group, 0 when MI is 0 otherwise (scikit-learn's conventions).
 *
 * @example
 * nmi([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 */
export function nmi(labels: LabelsLike, clusters: LabelsLike): number {
  const t = contingency('nmi', labels, clusters);
  if (t.a.length === 1 && t.b.length === 1) return 1;
  const mi = mutualInfo(t);
  if (mi === 0) return 0;
  return mi / ((entropy(t.a, t.n) + entropy(t.b, t.n)) / 2);
}

/**
 * Adjusted mutual information, (MI - E[MI]) / (mean(H) - E[MI]), arithmetic normalization.
 *
 * @example
 * ami([0, 0, 1, 1], [0, 0, 1, 1]); // 1
 */
export function ami(labels: LabelsLike, clusters: LabelsLike): number {
  const t = contingency('ami', labels, clusters);
  if (t.a.length === 1 && t.b.length === 1) return 1;
  const mi = mutualInfo(t);
  const emi = expectedMutualInfo(t);
  const normalizer = (entropy(t.a, t.n) + entropy(t.b, t.n)) / 2;
  let denominator = normalizer - emi;
  // As scikit-learn: keep the sign but never divide by less than machine epsilon.
  denominator = denominator < 0 ? Math.min(denominator, -Number.EPSILON) : Math.max(denominator, Number.EPSILON);
  return (mi - emi) / denominator;
}

/**
 * Purity: each cluster votes for its majority label; the fraction of items that agree.
 *
 * @example
 * purity([0, 0, 1, 1], [0, 0, 0, 1]); // 0.75
 */
export function purity(labels: LabelsLike, clusters: LabelsLike): number {
  const t = contingency('purity', labels, clusters);
  const best = new Array<number>(t.b.length).fill(0);
  for (const [, c, nij] of t.cells) best[c] = Math.max(best[c], nij);
  return best.reduce((s, v) => s + v, 0) / t.n;
}
