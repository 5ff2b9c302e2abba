/**
 * The one PCA (lib/linalg/pca.ts) and its eigensolver, against hand-derived spectra and plain-loop
 * references: covariance by a direct double loop, eigenpairs checked by their residual.
 */
import * as assert from 'assert';
import * as path from 'path';
import { readIdx } from '../../lib/data/idx';
import { Random } from '../../lib/random';
import { symmetricEigen } from '../../lib/linalg/eigen';
import { Pca, covariance, principalAxes } from '../../lib/linalg/pca';
import { expectClose } from '../helpers/backends';

/** A random orthogonal D x D matrix (rows), from Gram-Schmidt on seeded gaussians. */
function randomOrthogonal(D: number, seed: number): number[][] {
  const rng = new Random(seed);
  const q: number[][] = [];
  while (q.length < D) {
    const v = Array.from({ length: D }, () => rng.normal());
    for (const u of q) {
      const dot = u.reduce((s, ui, i) => s + ui * v[i], 0);
      u.forEach((ui, i) => (v[i] -= dot * ui));
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return q;
}

/** Qᵀ diag(lambda) Q, row-major: a symmetric matrix whose spectrum is known by construction. */
function withSpectrum(lambda: number[], seed: number): { a: Float64Array; q: number[][] } {
  const D = lambda.length;
  const q = randomOrthogonal(D, seed);
  const a = new Float64Array(D * D);
  for (let i = 0; i < D; i++)
    for (let j = 0; j < D; j++) for (let k = 0; k < D; k++) a[i * D + j] += q[k][i] * lambda[k] * q[k][j];
  return { a, q };
}

/** max |A v - lambda v| over the returned pairs, and max |V Vᵀ - I|. */
function residuals(a: Float64Array, D: number, values: Float64Array, vectors: Float64Array): [number, number] {
  const k = vectors.length / D;
  let res = 0;
  let orth = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += a[i * D + j] * vectors[c * D + j];
      res = Math.max(res, Math.abs(s - values[c] * vectors[c * D + i]));
    }
    for (let c2 = 0; c2 <= c; c2++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += vectors[c * D + i] * vectors[c2 * D + i];
      orth = Math.max(orth, Math.abs(s - (c === c2 ? 1 : 0)));
    }
  }
  return [res, orth];
}

describe('linalg: eigensolver and PCA', () => {
  it('symmetricEigen: [[2,1],[1,2]] has eigenvalues 3, 1 and axes (1,1)/√2, (1,-1)/√2', () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expectClose(values, [3, 1], 1e-12, 0, 'values');
    const r = Math.SQRT1_2;
    // Signs are the solver's choice; compare up to sign.
    expectClose([Math.abs(vectors[0]), Math.abs(vectors[1])], [r, r], 1e-12, 0, 'first axis');
    assert.ok(vectors[0] * vectors[1] > 0 && vectors[2] * vectors[3] < 0, `axes ${Array.from(vectors)}`);
  });

  it('symmetricEigen: planted spectra, including repeated eigenvalues, come back with orthonormal axes', () => {
    for (const lambda of [[5, 4, 3, 2, 1, 0.5, 0.25, 0], [4, 4, 4, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1], [9]]) {
      const D = lambda.length;
      const { a } = withSpectrum(lambda, D);
      const { values, vectors } = symmetricEigen(a, D);
      expectClose(values, lambda, 1e-12, 0, `values of [${lambda}]`);
      const [res, orth] = residuals(a, D, values, vectors);
      assert.ok(res < 1e-12 && orth < 1e-12, `[${lambda}]: residual ${res}, orthogonality ${orth}`);
    }
  });

  it("symmetricEigen: a block-diagonal matrix (rows already reduced mid-way) keeps both blocks' spectra", () => {
    const b1 = withSpectrum([3, 1], 1).a;
    const b2 = withSpectrum([5, 2, 0.5], 2).a;
    const D = 5;
    const a = new Float64Array(D * D);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) a[i * D + j] = b1[i * 2 + j];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) a[(i + 2) * D + j + 2] = b2[i * 3 + j];
    const { values, vectors } = symmetricEigen(a, D);
    expectClose(values, [5, 3, 2, 1, 0.5], 1e-12, 0, 'values');
    const [res, orth] = residuals(a, D, values, vectors);
    assert.ok(res < 1e-12 && orth < 1e-12, `residual ${res}, orthogonality ${orth}`);
  });

  it('symmetricEigen: the pixel covariance of MNIST (156 always-black pixels) converges and keeps trace and norm', () => {
    // Zero rows and columns give the tridiagonal form zero diagonal blocks, where a purely
    // relative deflation test never fires (this matrix once failed with "did not converge").
    const images = readIdx(path.join(__dirname, '..', '..', 'data', 'mnist', 't10k-images-idx3-ubyte.gz'));
    const [n, h, w] = images.shape;
    const D = h * w;
    const { cov } = covariance({ data: Float32Array.from(images.data, (v) => v / 255), rows: n, dims: D });
    const { values, vectors } = symmetricEigen(cov, D, { vectors: 3 });
    let trace = 0;
    let frobenius2 = 0;
    let constant = 0;
    for (let i = 0; i < D; i++) {
      trace += cov[i * D + i];
      if (cov[i * D + i] === 0) constant++;
      for (let j = 0; j < D; j++) frobenius2 += cov[i * D + j] ** 2;
    }
    assert.ok(constant > 100, `expected many constant pixels, found ${constant}`);
    const sum = values.reduce((s, v) => s + v, 0);
    const sumSq = values.reduce((s, v) => s + v * v, 0);
    assert.ok(Math.abs(sum - trace) < 1e-9 * trace, `sum of eigenvalues ${sum} vs trace ${trace}`);
    assert.ok(Math.abs(sumSq - frobenius2) < 1e-9 * frobenius2, `sum of squares ${sumSq} vs ${frobenius2}`);
    assert.ok(
      values.filter((v) => Math.abs(v) < 1e-12 * values[0]).length >= constant,
      'a zero eigenvalue per constant pixel',
    );
    const [res, orth] = residuals(cov, D, values.slice(0, 3), vectors);
    assert.ok(res < 1e-10 && orth < 1e-10, `top 3: residual ${res}, orthogonality ${orth}`);
  });

  it('symmetricEigen: the leading 5 of 120 match the full solve, and values need no vectors', () => {
    const rng = new Random(11);
    const D = 120;
    const a = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let j = i; j < D; j++) a[i * D + j] = a[j * D + i] = rng.normal();
    const full = symmetricEigen(a, D);
    const top = symmetricEigen(a, D, { vectors: 5 });
    const none = symmetricEigen(a, D, { vectors: 0 });
    assert.strictEqual(top.vectors.length, 5 * D);
    assert.strictEqual(none.vectors.length, 0);
    expectClose(none.values, full.values, 0, 0, 'values without vectors');
    let trace = 0;
    for (let i = 0; i < D; i++) trace += a[i * D + i];
    const sum = full.values.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - trace) < 1e-9, `sum of eigenvalues ${sum} vs trace ${trace}`);
    const [res, orth] = residuals(a, D, full.values, full.vectors);
    assert.ok(res < 1e-10 && orth < 1e-10, `full: residual ${res}, orthogonality ${orth}`);
    for (let c = 0; c < 5; c++) {
      let dot = 0;
      for (let i = 0; i < D; i++) dot += top.vectors[c * D + i] * full.vectors[c * D + i];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-10, `axis ${c}: |cos| ${Math.abs(dot)}`);
    }
  });

  it('symmetricEigen names bad arguments', () => {
    assert.throws(
      () => symmetricEigen(new Float64Array(3), 2),
      /Error in symmetricEigen: matrix must be a Float64Array of D \* D = 4 values, but got 3/,
    );
    assert.throws(
      () => symmetricEigen(new Float64Array(4), 2, { vectors: 3 }),
      /Error in symmetricEigen: vectors must be >= 0 and <= 2, but got 3/,
    );
    assert.throws(() => symmetricEigen(new Float64Array(0), 0), /Error in symmetricEigen: D must be >= 1, but got 0/);
  });

  it('covariance matches a plain double loop, for D on and off the 4 x 2 block grid', () => {
    for (const D of [1, 2, 5, 6, 7, 8]) {
      const rng = new Random(D);
      const n = 37;
      const data = Float32Array.from({ length: n * D }, () => rng.normal(2, 3));
      const { mean, cov } = covariance({ data, rows: n, dims: D });
      const mu = Array.from({ length: D }, (_, d) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += data[i * D + d];
        return s / n;
      });
      const ref: number[] = [];
      for (let p = 0; p < D; p++) {
        for (let q = 0; q < D; q++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += (data[i * D + p] - mu[p]) * (data[i * D + q] - mu[q]);
          ref.push(s / n);
        }
      }
      expectClose(mean, mu, 1e-12, 1e-12, `mean D=${D}`);
      expectClose(cov, ref, 1e-12, 1e-12, `cov D=${D}`);
    }
  });

  it('principalAxes: axes are covariance eigenvectors with the svd_flip sign, variances descending', () => {
    const rng = new Random(3);
    const n = 400;
    const D = 40;
    // Anisotropic data: dimension d scaled by 1/(1+d), so the spectrum has distinct leading values.
    const data = Float64Array.from({ length: n * D }, (_, i) => rng.normal() / (1 + (i % D)));
    const k = 6;
    const axes = principalAxes({ data, rows: n, dims: D }, k);
    const { cov } = covariance({ data, rows: n, dims: D });
    const [res, orth] = residuals(cov, D, axes.variances, axes.components);
    assert.ok(res < 1e-12 && orth < 1e-12, `residual ${res}, orthogonality ${orth}`);
    for (let c = 0; c < k; c++) {
      const row = Array.from(axes.components.subarray(c * D, (c + 1) * D));
      const big = row.reduce((b, v) => (Math.abs(v) > Math.abs(b) ? v : b), 0);
      assert.ok(big > 0, `axis ${c}: largest entry ${big} must be positive`);
      if (c > 0) assert.ok(axes.variances[c] <= axes.variances[c - 1], 'variances descending');
    }
    let trace = 0;
    for (let d = 0; d < D; d++) trace += cov[d * D + d];
    expectClose([axes.totalVariance], [trace], 1e-12, 1e-12, 'total variance');
  });

  it('Pca.fit/transform: projections are the centred rows times the axes; bad arguments are named', () => {
    const rows = [
      [2, 0, 1],
      [-2, 0, 1],
      [0, 1, 1],
      [0, -1, 1],
    ];
    // Hand-derived: mean (0, 0, 1); covariance diag(2, 0.5, 0); axes e1, e2; variance kept 100%.
    const pca = Pca.fit(rows, 2);
    expectClose(pca.components, [1, 0, 0, 0, 1, 0], 1e-12, 0, 'axes');
    expectClose(pca.transform(rows).data, [2, 0, -2, 0, 0, 1, 0, -1], 1e-6, 0, 'projections');
    expectClose([pca.explainedVarianceRatio], [1], 1e-12, 0, 'ratio');
    expectClose([Pca.fit(rows, 1).explainedVarianceRatio], [0.8], 1e-12, 0, 'ratio with one axis');
    assert.throws(() => Pca.fit(rows, 4), /Error in Pca.fit: outputDims must be >= 1 and <= 3, but got 4/);
    assert.throws(() => pca.transform([[1, 2]]), /Error in Pca.transform: vectors must have 3 columns, but got 2/);
  });
});
