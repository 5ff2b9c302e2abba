/**
 * Principal component analysis for 2-D embedding maps, in plain float64 JavaScript: centre the
 * data, form the D x D covariance, and find the top eigenvectors by orthogonal (subspace)
 * iteration. Deterministic: the start basis is seeded and each component's sign is fixed so its
 * largest-magnitude entry is positive (sklearn's svd_flip convention).
 */
import { Random } from '../random';
import { checkNumber, fail } from '../validate';
import { toDense, type MatrixLike } from './matrix';

export interface PcaOptions {
  /** Number of components (default 2). */
  components?: number;
  /** Seed for the start basis (default 0). */
  seed?: number;
  /** Iteration cap (default 300); iteration stops earlier once the basis stops moving. */
  maxIterations?: number;
}

export interface PcaResult {
  /** The projected rows, N x components. */
  points: number[][];
  /** Unit principal directions, components x D. */
  components: number[][];
  /** Variance along each component (eigenvalues of the covariance, population normalisation). */
  explainedVariance: number[];
  /** explainedVariance / total variance. */
  explainedVarianceRatio: number[];
  /** The column means that were subtracted. */
  mean: number[];
}

/** Gram-Schmidt on the k column vectors stored as rows of `q` (k x d), in place. */
function orthonormalize(q: Float64Array[], rng: Random): void {
  for (let i = 0; i < q.length; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let t = 0; t < q[i].length; t++) dot += q[i][t] * q[j][t];
      for (let t = 0; t < q[i].length; t++) q[i][t] -= dot * q[j][t];
    }
    let norm = Math.hypot(...q[i]);
    if (norm < 1e-12) {
      // The vector collapsed (rank-deficient data): restart it from noise and project again.
      for (let t = 0; t < q[i].length; t++) q[i][t] = rng.normal();
      i--;
      continue;
    }
    norm = 1 / norm;
    for (let t = 0; t < q[i].length; t++) q[i][t] *= norm;
  }
}

/**
 * Projects rows onto their top principal components.
 *
 * @example
 * const { points, explainedVarianceRatio } = pca(embeddingRows, { components: 2, seed: 0 });
 * const spec = embeddingMap({ points, labels });
 */
export function pca(data: MatrixLike, options: PcaOptions = {}): PcaResult {
  const fn = 'pca';
  const m = toDense(fn, 'data', data, 2);
  const { rows: n, cols: d } = m;
  const k = checkNumber(fn, 'components', options.components ?? 2, { min: 1, integer: true });
  if (k > d) fail(fn, 'components', `be at most the data dimension (${d})`, k);
  const maxIterations = checkNumber(fn, 'maxIterations', options.maxIterations ?? 300, { min: 1, integer: true });
  const rng = new Random(options.seed ?? 0);

  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += m.data[i * d + j] / n;
  // Centred data stored column-major, so each covariance entry is one contiguous dot product
  // accumulated in a register (several times faster than scattering row updates into cov).
  const xt = new Float64Array(d * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xt[j * n + i] = m.data[i * d + j] - mean[j];
  const cov = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    const ca = xt.subarray(a * n, (a + 1) * n);
    for (let b = a; b < d; b++) {
      const cb = xt.subarray(b * n, (b + 1) * n);
      let s = 0;
      for (let i = 0; i < n; i++) s += ca[i] * cb[i];
      cov[a * d + b] = s / n;
      cov[b * d + a] = s / n;
    }
  }
  let total = 0;
  for (let a = 0; a < d; a++) total += cov[a * d + a];

  let q = Array.from({ length: k }, () => Float64Array.from({ length: d }, () => rng.normal()));
  orthonormalize(q, rng);
  for (let it = 0; it < maxIterations; it++) {
    const next = q.map((v) => {
      const out = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b] * v[b];
        out[a] = s;
      }
      return out;
    });
    orthonormalize(next, rng);
    // Distance between successive directions (up to sign); 1 - |cos| would lose half the digits.
    let change = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += next[c][t] * q[c][t];
      const sign = dot < 0 ? -1 : 1;
      let dist = 0;
      for (let t = 0; t < d; t++) dist += (next[c][t] - sign * q[c][t]) ** 2;
      change = Math.max(change, Math.sqrt(dist));
    }
    q = next;
    if (change < 1e-12) break;
  }

  const variance = q.map((v) => {
    let s = 0;
    for (let a = 0; a < d; a++) {
      let cv = 0;
      for (let b = 0; b < d; b++) cv += cov[a * d + b] * v[b];
      s += v[a] * cv;
    }
    return s;
  });
  // Order by variance (subspace iteration can converge with two components swapped).
  const order = variance.map((_, i) => i).sort((a, b) => variance[b] - variance[a]);
  const components = order.map((i) => {
    const v = Array.from(q[i]);
    let big = 0;
    for (const t of v) if (Math.abs(t) > Math.abs(big)) big = t;
    return big < 0 ? v.map((t) => -t) : v;
  });
  const points: number[][] = [];
  for (let i = 0; i < n; i++) {
    points.push(
      components.map((v) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += xt[j * n + i] * v[j];
        return s;
      }),
    );
  }
  const explainedVariance = order.map((i) => variance[i]);
  return {
    points,
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    mean: Array.from(mean),
  };
}
