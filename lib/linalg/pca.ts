/**
 * The library's one PCA: float64 covariance from a cache-friendly blocked loop, then the
 * symmetric eigensolver of eigen.ts for the leading axes only. Search uses it to compress an
 * index (4·m bytes per vector instead of 4·D, at a recall cost test/search measures); viz uses
 * it for 2-D maps (`pca` in lib/viz). Deterministic, with sklearn's sign convention (svd_flip):
 * each axis is flipped so that its largest-magnitude entry is positive.
 */
import { checkNumber, fail } from '../validate';
import { symmetricEigen } from './eigen';
import { type Matrix, type VectorsLike, toMatrix } from './matrix';

/** Row-major rows in float32 or float64 (search holds float32, the viz projections float64). */
export interface NumericRows {
  data: Float32Array | Float64Array;
  rows: number;
  dims: number;
}

/** The leading principal axes of a set of rows. */
export interface PrincipalAxes {
  /** Column means that were subtracted, [D]. */
  mean: Float64Array;
  /** Unit axes as rows [k, D], by decreasing variance. */
  components: Float64Array;
  /** Variance along each axis (covariance eigenvalues, divided by N), [k]. */
  variances: Float64Array;
  /** Sum of all D variances (the covariance trace). */
  totalVariance: number;
}

/**
 * Column means and the D x D covariance (divided by N) of row-major rows, in float64. The
 * centred data is transposed once so each entry is a contiguous dot product, computed in 4 x 2
 * blocks (eight sums per pass over six columns: fewer memory reads per multiply-add).
 *
 * @example
 * covariance({ data: new Float32Array([0, 0, 2, 2]), rows: 2, dims: 2 }).cov; // [1, 1, 1, 1]
 */
export function covariance(m: NumericRows): { mean: Float64Array; cov: Float64Array } {
  const { rows: n, dims: D, data } = m;
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) mean[d] += data[i * D + d];
  for (let d = 0; d < D; d++) mean[d] /= n;
  const xt = new Float64Array(D * n);
  for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) xt[d * n + i] = data[i * D + d] - mean[d];
  const cov = new Float64Array(D * D);
  for (let a = 0; a < D; a += 4) {
    const a1 = Math.min(a + 1, D - 1);
    const a2 = Math.min(a + 2, D - 1);
    const a3 = Math.min(a + 3, D - 1);
    for (let b = a; b < D; b += 2) {
      const b1 = Math.min(b + 1, D - 1);
      const [oa, oa1, oa2, oa3, ob, ob1] = [a * n, a1 * n, a2 * n, a3 * n, b * n, b1 * n];
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      let s20 = 0;
      let s21 = 0;
      let s30 = 0;
      let s31 = 0;
      for (let i = 0; i < n; i++) {
        const y0 = xt[ob + i];
        const y1 = xt[ob1 + i];
        const x0 = xt[oa + i];
        const x1 = xt[oa1 + i];
        const x2 = xt[oa2 + i];
        const x3 = xt[oa3 + i];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s30 += x3 * y0;
        s31 += x3 * y1;
      }
      // Blocks that run past the edge repeat the last row/column: those writes repeat a value.
      // Entries below the diagonal of a diagonal block are mirrored from the upper triangle below.
      const sums = [s00, s01, s10, s11, s20, s21, s30, s31];
      const rowsA = [a, a, a1, a1, a2, a2, a3, a3];
      const colsB = [b, b1, b, b1, b, b1, b, b1];
      for (let t = 0; t < 8; t++) {
        if (colsB[t] >= rowsA[t]) cov[rowsA[t] * D + colsB[t]] = sums[t] / n;
      }
    }
  }
  for (let r = 0; r < D; r++) for (let c = r + 1; c < D; c++) cov[c * D + r] = cov[r * D + c];
  return { mean, cov };
}

/**
 * The top `k` principal axes of the rows (no argument checks: callers validate and name
 * themselves in errors).
 *
 * @example
 * const axes = principalAxes({ data: new Float64Array([2, 0, -2, 0, 0, 1, 0, -1]), rows: 4, dims: 2 }, 1);
 * axes.components; // [1, 0]; axes.variances: [2]; axes.totalVariance: 2.5
 */
export function principalAxes(m: NumericRows, k: number): PrincipalAxes {
  const D = m.dims;
  const { mean, cov } = covariance(m);
  const { values, vectors } = symmetricEigen(cov, D, { vectors: k });
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let d = c * D; d < (c + 1) * D; d++) if (Math.abs(vectors[d]) > Math.abs(big)) big = vectors[d];
    if (big < 0) for (let d = c * D; d < (c + 1) * D; d++) vectors[d] = -vectors[d];
  }
  let totalVariance = 0;
  for (let d = 0; d < D; d++) totalVariance += cov[d * D + d];
  // Round-off can leave a tiny negative eigenvalue on rank-deficient data; a variance is >= 0.
  const variances = values.slice(0, k).map((v) => Math.max(0, v));
  return { mean, components: vectors, variances, totalVariance };
}

/**
 * Projects rows onto axes: out[i, c] = (x_i - mean) · component_c, accumulated in float64.
 *
 * @example
 * const m = { data: Float64Array.from([0, 0, 2, 2]), rows: 2, dims: 2 };
 * const axes = principalAxes(m, 1);
 * projectOntoAxes(m, axes.mean, axes.components, 1); // Float64Array [2 * 1]: -√2 and √2 (up to sign)
 */
export function projectOntoAxes(m: NumericRows, mean: Float64Array, components: Float64Array, k: number): Float64Array {
  const D = m.dims;
  const out = new Float64Array(m.rows * k);
  const centred = new Float64Array(D);
  for (let i = 0; i < m.rows; i++) {
    for (let d = 0; d < D; d++) centred[d] = m.data[i * D + d] - mean[d];
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += centred[d] * components[c * D + d];
      out[i * k + c] = s;
    }
  }
  return out;
}

/**
 * PCA to fewer dimensions for search: fit once, transform the index and its queries.
 *
 * @example
 * const pca = Pca.fit(vectors, 16);
 * const small = pca.transform(vectors); // [N, 16]
 * pca.explainedVarianceRatio;           // share of variance the 16 components keep
 */
export class Pca {
  private constructor(
    readonly mean: Float64Array,
    /** [components, D] row-major. */
    readonly components: Float64Array,
    readonly inputDims: number,
    readonly outputDims: number,
    readonly explainedVarianceRatio: number,
  ) {}

  static fit(vectors: VectorsLike, outputDims: number): Pca {
    const m = toMatrix('Pca.fit', vectors);
    checkNumber('Pca.fit', 'outputDims', outputDims, { min: 1, max: m.dims, integer: true });
    const axes = principalAxes(m, outputDims);
    const kept = axes.variances.reduce((s, v) => s + v, 0);
    const ratio = axes.totalVariance > 0 ? Math.min(1, kept / axes.totalVariance) : 1;
    return new Pca(axes.mean, axes.components, m.dims, outputDims, ratio);
  }

  transform(vectors: VectorsLike): Matrix {
    const m = toMatrix('Pca.transform', vectors);
    if (m.dims !== this.inputDims) fail('Pca.transform', 'vectors', `have ${this.inputDims} columns`, m.dims);
    const data = Float32Array.from(projectOntoAxes(m, this.mean, this.components, this.outputDims));
    return { data, rows: m.rows, dims: this.outputDims };
  }
}
