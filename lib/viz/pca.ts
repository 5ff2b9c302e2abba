/**
 * Principal component analysis for 2-D embedding maps: a thin wrapper over the library's one PCA
 * (lib/linalg/pca.ts: float64 covariance and a Householder + QL eigensolver) that takes plain
 * rows or a tensor and returns plain arrays for the plot builders. Deterministic: each
 * component's sign is fixed so its largest-magnitude entry is positive (sklearn's svd_flip).
 */
import { principalAxes, projectOntoAxes } from '../linalg/pca';
import { checkNumber, fail } from '../validate';
import { toDense, type MatrixLike } from './matrix';

export interface PcaOptions {
  /** Number of components (default 2). */
  components?: number;
  /**
   * @deprecated No effect: the eigensolver is direct and deterministic, so there is no random
   * start to seed. Accepted so that existing calls keep compiling.
   */
  seed?: number;
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

/**
 * Projects rows onto their top principal components.
 *
 * @example
 * const { points, explainedVarianceRatio } = pca(embeddings, { components: 2 });
 * const spec = embeddingMap({ points, labels });
 */
export function pca(data: MatrixLike, options: PcaOptions = {}): PcaResult {
  const fn = 'pca';
  const m = toDense(fn, 'data', data, 2);
  const k = checkNumber(fn, 'components', options.components ?? 2, { min: 1, integer: true });
  if (k > m.cols) fail(fn, 'components', `be at most the data dimension (${m.cols})`, k);
  const rows = { data: m.data, rows: m.rows, dims: m.cols };
  const axes = principalAxes(rows, k);
  const projected = projectOntoAxes(rows, axes.mean, axes.components, k);
  const explainedVariance = Array.from(axes.variances);
  return {
    points: Array.from({ length: m.rows }, (_, i) => Array.from(projected.subarray(i * k, (i + 1) * k))),
    components: Array.from({ length: k }, (_, c) => Array.from(axes.components.subarray(c * m.cols, (c + 1) * m.cols))),
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (axes.totalVariance > 0 ? v / axes.totalVariance : 0)),
    mean: Array.from(axes.mean),
  };
}
