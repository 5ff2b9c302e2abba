/**
 * PCA to fewer dimensions: covariance in float64, Jacobi eigen-decomposition (eigen.ts), the top
 * components kept. Compresses an index (4·m bytes per vector instead of 4·D) at a recall cost
 * that bench/eval and test/search measure.
 */
import { checkNumber, fail } from '../validate';
import { covariance, symmetricEigen } from './eigen';
import { type Matrix, type VectorsLike, toMatrix } from './matrix';

/**
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
    const { mean, cov } = covariance(m.data, m.rows, m.dims);
    const { values, vectors: ev } = symmetricEigen(cov, m.dims);
    let total = 0;
    let kept = 0;
    values.forEach((v, i) => {
      total += Math.max(0, v);
      if (i < outputDims) kept += Math.max(0, v);
    });
    return new Pca(mean, ev.slice(0, outputDims * m.dims), m.dims, outputDims, total > 0 ? kept / total : 1);
  }

  transform(vectors: VectorsLike): Matrix {
    const m = toMatrix('Pca.transform', vectors);
    if (m.dims !== this.inputDims) fail('Pca.transform', 'vectors', `have ${this.inputDims} columns`, m.dims);
    const D = this.inputDims;
    const out = new Float32Array(m.rows * this.outputDims);
    for (let i = 0; i < m.rows; i++) {
      for (let c = 0; c < this.outputDims; c++) {
        let s = 0;
        for (let d = 0; d < D; d++) s += (m.data[i * D + d] - this.mean[d]) * this.components[c * D + d];
        out[i * this.outputDims + c] = s;
      }
    }
    return { data: out, rows: m.rows, dims: this.outputDims };
  }
}
