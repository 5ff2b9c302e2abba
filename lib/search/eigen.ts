/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations, in float64.
 * O(D^3) per sweep and a handful of sweeps: right for covariance matrices of embeddings
 * (D <= a few hundred), used by PCA and the collapse indicator.
 */

/**
 * Eigenvalues (descending) and eigenvectors (rows of `vectors`, same order) of a symmetric D x D
 * matrix given row-major.
 *
 * @example
 * symmetricEigen(new Float64Array([2, 1, 1, 2]), 2).values; // [3, 1]
 */
export function symmetricEigen(matrix: Float64Array, D: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(D * D);
  for (let i = 0; i < D; i++) v[i * D + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < D; p++) {
      diag += a[p * D + p] * a[p * D + p];
      for (let q = p + 1; q < D; q++) off += a[p * D + q] * a[p * D + q];
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < D; p++) {
      for (let q = p + 1; q < D; q++) {
        const apq = a[p * D + q];
        if (apq === 0) continue;
        const theta = (a[q * D + q] - a[p * D + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < D; k++) {
          const akp = a[k * D + p];
          const akq = a[k * D + q];
          a[k * D + p] = c * akp - s * akq;
          a[k * D + q] = s * akp + c * akq;
        }
        for (let k = 0; k < D; k++) {
          const apk = a[p * D + k];
          const aqk = a[q * D + k];
          a[p * D + k] = c * apk - s * aqk;
          a[q * D + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < D; k++) {
          const vpk = v[p * D + k];
          const vqk = v[q * D + k];
          v[p * D + k] = c * vpk - s * vqk;
          v[q * D + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: D }, (_, i) => i).sort((x, y) => a[y * D + y] - a[x * D + x]);
  const values = new Float64Array(D);
  const vectors = new Float64Array(D * D);
  order.forEach((src, i) => {
    values[i] = a[src * D + src];
    vectors.set(v.subarray(src * D, (src + 1) * D), i * D);
  });
  return { values, vectors };
}

/**
 * Mean and covariance (divided by N) of the rows of a row-major matrix, in float64.
 *
 * @example
 * covariance(new Float32Array([0, 0, 2, 2]), 2, 2).cov; // [1, 1, 1, 1]
 */
export function covariance(data: Float32Array, rows: number, D: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(D);
  for (let i = 0; i < rows; i++) for (let d = 0; d < D; d++) mean[d] += data[i * D + d];
  for (let d = 0; d < D; d++) mean[d] /= rows;
  const cov = new Float64Array(D * D);
  const row = new Float64Array(D);
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < D; d++) row[d] = data[i * D + d] - mean[d];
    for (let p = 0; p < D; p++) {
      const rp = row[p];
      for (let q = p; q < D; q++) cov[p * D + q] += rp * row[q];
    }
  }
  for (let p = 0; p < D; p++) {
    for (let q = p; q < D; q++) {
      cov[p * D + q] /= rows;
      cov[q * D + p] = cov[p * D + q];
    }
  }
  return { mean, cov };
}
