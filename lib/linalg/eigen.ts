/**
 * Eigen-decomposition of a symmetric matrix in float64, the LAPACK route for "all eigenvalues,
 * a few eigenvectors" (dsytrd + dsterf + dstein + dormtr):
 *
 * 1. Householder reduction to tridiagonal form T = Qᵀ A Q, touching A only row by row (so a
 *    784 x 784 covariance stays cache-friendly): (4/3)·D³ flops, once.
 * 2. All eigenvalues of T by implicit QL with Wilkinson shifts: O(D²).
 * 3. Only the requested leading eigenvectors: inverse iteration on T (O(D) per solve),
 *    re-orthogonalised within clusters of close eigenvalues, then mapped back through the
 *    stored reflectors: O(D²) each.
 *
 * Accumulating Q for every eigenvector (Jacobi, or tred2 + tql2) costs several D³ more and took
 * seconds at D = 784; PCA needs 2 to 64 vectors and the collapse indicator none.
 */
import { Random } from '../random';
import { checkNumber, fail } from '../validate';

export interface SymmetricEigen {
  /** All D eigenvalues, descending. */
  values: Float64Array;
  /** The leading eigenvectors as rows [count, D], in the order of `values`; unit length. */
  vectors: Float64Array;
}

/**
 * Eigenvalues (descending) and the first `vectors` eigenvectors (default all) of a symmetric
 * D x D matrix given row-major; only its upper triangle is read. Deterministic; an eigenvector's
 * sign is whatever the solver gives.
 *
 * @example
 * symmetricEigen(new Float64Array([2, 1, 1, 2]), 2).values; // [3, 1]
 * import { covariance } from './pca';
 * const { cov } = covariance({ data: testImages.dataSync<'float32'>(), rows: testImages.shape[0], dims: 784 });
 * symmetricEigen(cov, 784, { vectors: 2 }).vectors;      // the top 2 principal axes, [2, 784]
 */
export function symmetricEigen(matrix: Float64Array, D: number, options: { vectors?: number } = {}): SymmetricEigen {
  const fn = 'symmetricEigen';
  checkNumber(fn, 'D', D, { min: 1, integer: true });
  if (!(matrix instanceof Float64Array) || matrix.length !== D * D) {
    fail(fn, 'matrix', `be a Float64Array of D * D = ${D * D} values`, matrix?.length ?? typeof matrix);
  }
  const count = checkNumber(fn, 'vectors', options.vectors ?? D, { min: 0, max: D, integer: true });
  const { diag, off, reflectors } = tridiagonalize(matrix, D);
  const values = tridiagonalEigenvalues(diag, off).sort((a, b) => b - a);
  const vectors = new Float64Array(count * D);
  // Eigenvectors of T, kept for re-orthogonalising within a cluster (Q preserves angles).
  const tVectors = new Float64Array(count * D);
  const scale = values.reduce((s, v) => Math.max(s, Math.abs(v)), 0) + maxAbs(off);
  // Eigenvalues closer than this share an eigenspace numerically; their vectors are kept mutually
  // orthogonal (LAPACK dstein's ORTOL); identical ones are nudged apart (its PERTOL) so that the
  // solves do not return the same vector twice.
  const clusterTol = 1e-3 * scale;
  const rng = new Random(0x5eed);
  let clusterStart = 0;
  let previous = Infinity;
  for (let j = 0; j < count; j++) {
    let lambda = values[j];
    if (previous - lambda > clusterTol) clusterStart = j;
    else if (previous - lambda < 10 * Number.EPSILON * scale) lambda = previous - 10 * Number.EPSILON * scale;
    previous = lambda;
    const z = inverseIteration(diag, off, lambda, scale, rng, (x) => {
      for (let i = clusterStart; i < j; i++) subtractProjection(x, tVectors, i, D);
    });
    tVectors.set(z, j * D);
    applyReflectors(reflectors, z);
    vectors.set(z, j * D);
  }
  return { values, vectors };
}

interface Reflector {
  /** Acts on entries start.. of a vector: x -= beta (v·x) v. */
  start: number;
  v: Float64Array;
  beta: number;
}

/**
 * The Householder reflector that zeroes row k of `a` beyond column k+1: v (acting on entries
 * k+1..), beta and the resulting off-diagonal alpha; null when the row is already zero there.
 */
function reflectorFor(a: Float64Array, D: number, k: number): Reflector & { alpha: number } {
  const start = k + 1;
  // x = column k below the diagonal = row k right of it (symmetric, and a row is contiguous).
  const v = a.slice(k * D + start, k * D + D);
  let sigma = 0;
  for (let i = 1; i < v.length; i++) sigma += v[i] * v[i];
  if (sigma === 0) return { start, v, beta: 0, alpha: v[0] };
  const alpha = -Math.sign(v[0] || 1) * Math.sqrt(v[0] * v[0] + sigma);
  v[0] -= alpha;
  return { start, v, beta: 2 / (v[0] * v[0] + sigma), alpha };
}

/**
 * Householder tridiagonalisation; returns T's diagonal, off-diagonal (off[i] couples i, i+1) and
 * Q's reflectors. Step k needs p = A22 v and then the update A22 -= v wᵀ + w vᵀ; both read only
 * the upper triangle row by row, and the next step's product is accumulated during this step's
 * update, so the matrix streams through memory once per step instead of twice (at D = 784 it
 * does not fit in cache, and memory traffic is what costs).
 */
function tridiagonalize(
  matrix: Float64Array,
  D: number,
): { diag: Float64Array; off: Float64Array; reflectors: Reflector[] } {
  const a = Float64Array.from(matrix);
  const diag = new Float64Array(D);
  const off = new Float64Array(Math.max(0, D - 1));
  const reflectors: Reflector[] = [];
  let p = new Float64Array(D);
  let pNext = new Float64Array(D);
  let pReady = false;
  for (let k = 0; k < D - 2; k++) {
    diag[k] = a[k * D + k];
    const { start, v, beta, alpha } = reflectorFor(a, D, k);
    off[k] = alpha;
    if (beta === 0) {
      pReady = false;
      continue;
    }
    const m = D - start;
    if (!pReady) {
      p.fill(0, 0, m);
      for (let i = 0; i < m; i++) {
        const row = (start + i) * D + start;
        const vi = v[i];
        let s = a[row + i] * vi;
        for (let j = i + 1; j < m; j++) {
          s += a[row + j] * v[j];
          p[j] += a[row + j] * vi;
        }
        p[i] += s;
      }
    }
    // w = beta p - (beta/2)(beta p·v) v, kept in p.
    let pv = 0;
    for (let i = 0; i < m; i++) {
      p[i] *= beta;
      pv += p[i] * v[i];
    }
    const half = (beta / 2) * pv;
    for (let i = 0; i < m; i++) p[i] -= half * v[i];
    // Row 0 of the block first: once updated it is row k+1, which defines the next reflector.
    const row0 = start * D + start;
    for (let j = 0; j < m; j++) a[row0 + j] -= v[0] * p[j] + p[0] * v[j];
    const next = k + 1 < D - 2 ? reflectorFor(a, D, k + 1) : null;
    const u = next && next.beta !== 0 ? next.v : null;
    if (u) pNext.fill(0, 0, m - 1);
    for (let i = 1; i < m; i++) {
      const row = (start + i) * D + start;
      const vi = v[i];
      const wi = p[i];
      if (u) {
        // Update, then use the updated entries for the next step's product (indices shift by 1).
        const ui = u[i - 1];
        let aii = a[row + i] - (vi * p[i] + wi * v[i]);
        a[row + i] = aii;
        let s = aii * ui;
        for (let j = i + 1; j < m; j++) {
          aii = a[row + j] - (vi * p[j] + wi * v[j]);
          a[row + j] = aii;
          s += aii * u[j - 1];
          pNext[j - 1] += aii * ui;
        }
        pNext[i - 1] += s;
      } else {
        for (let j = i; j < m; j++) a[row + j] -= vi * p[j] + wi * v[j];
      }
    }
    reflectors.push({ start, v, beta });
    [p, pNext] = [pNext, p];
    pReady = u !== null;
  }
  if (D >= 2) {
    diag[D - 2] = a[(D - 2) * D + D - 2];
    off[D - 2] = a[(D - 2) * D + D - 1];
  }
  if (D >= 1) diag[D - 1] = a[D * D - 1];
  return { diag, off, reflectors };
}

/** All eigenvalues of a symmetric tridiagonal matrix by implicit QL with shifts (Numerical Recipes tqli, values only). */
function tridiagonalEigenvalues(diag: Float64Array, off: Float64Array): Float64Array {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  e.set(off);
  // Besides the usual relative test, an off-diagonal below eps² · ‖T‖ counts as zero: with
  // constant inputs (the always-black border pixels of MNIST) T has zero diagonal blocks where
  // the relative test asks for an exact 0 and the iteration stalls on round-off (LAPACK's dsterf
  // adds safmin there for the same reason).
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  const negligible = Number.EPSILON * Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    for (let iter = 0; ; iter++) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd || Math.abs(e[m]) <= negligible) break;
      }
      if (m === l) break;
      if (iter === 100) throw new Error('Error in symmetricEigen: QL iteration did not converge');
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix split; deflate and restart from l.
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return d;
}

/**
 * A unit eigenvector of tridiagonal T for the (already accurate) eigenvalue lambda: three solves
 * of (T - lambda I) x = b from a seeded start, with partial pivoting (LAPACK dgttrf/dgttrs).
 */
function inverseIteration(
  diag: Float64Array,
  off: Float64Array,
  lambda: number,
  scale: number,
  rng: Random,
  orthogonalize: (x: Float64Array) => void,
): Float64Array {
  const n = diag.length;
  const d = new Float64Array(n);
  const du = new Float64Array(n);
  const du2 = new Float64Array(n);
  const dl = new Float64Array(n);
  const swapped = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = diag[i] - lambda;
  du.set(off);
  dl.set(off);
  for (let i = 0; i < n - 1; i++) {
    if (Math.abs(d[i]) >= Math.abs(dl[i])) {
      const fact = d[i] !== 0 ? dl[i] / d[i] : 0;
      dl[i] = fact;
      d[i + 1] -= fact * du[i];
    } else {
      const fact = d[i] / dl[i];
      d[i] = dl[i];
      dl[i] = fact;
      const t = du[i];
      du[i] = d[i + 1];
      d[i + 1] = t - fact * d[i + 1];
      if (i < n - 2) {
        du2[i] = du[i + 1];
        du[i + 1] = -fact * du[i + 1];
      }
      swapped[i] = 1;
    }
  }
  // A zero pivot means lambda is exact: any tiny value gives the eigenvector direction.
  const tiny = Number.EPSILON * Math.max(scale, Number.MIN_VALUE);
  for (let i = 0; i < n; i++) if (Math.abs(d[i]) < tiny) d[i] = d[i] < 0 ? -tiny : tiny;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform() - 0.5;
  for (let iter = 0; iter < 3; iter++) {
    orthogonalize(x);
    normalize(x);
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) {
        const t = x[i];
        x[i] = x[i + 1];
        x[i + 1] = t - dl[i] * x[i + 1];
      } else {
        x[i + 1] -= dl[i] * x[i];
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      if (i + 1 < n) s -= du[i] * x[i + 1];
      if (i + 2 < n) s -= du2[i] * x[i + 2];
      x[i] = s / d[i];
    }
  }
  orthogonalize(x);
  normalize(x);
  return x;
}

/** z <- Q z with Q = H_0 H_1 ... (the last reflector acts first). */
function applyReflectors(reflectors: Reflector[], z: Float64Array): void {
  for (let r = reflectors.length - 1; r >= 0; r--) {
    const { start, v, beta } = reflectors[r];
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * z[start + i];
    s *= beta;
    for (let i = 0; i < v.length; i++) z[start + i] -= s * v[i];
  }
}

/** x -= (x·r) r for row `row` of `rows` (a unit vector). */
function subtractProjection(x: Float64Array, rows: Float64Array, row: number, D: number): void {
  let s = 0;
  for (let i = 0; i < D; i++) s += x[i] * rows[row * D + i];
  for (let i = 0; i < D; i++) x[i] -= s * rows[row * D + i];
}

function normalize(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < x.length; i++) x[i] *= inv;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}
