/**
 * Row-major float matrices in plain memory. Search and evaluation work on typed arrays (top-k
 * selection, metric loops and index structures are scalar code), so every public entry point
 * accepts a tensor, nested arrays or a flat Float32Array and converts once, here.
 */
import * as tf from '../tf';
import { fail } from '../validate';

/** A dense [rows, dims] float32 matrix stored row-major. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  dims: number;
}

/** What public functions accept as a set of vectors. */
export type VectorsLike = tf.Tensor2D | number[][] | Matrix;

/**
 * Converts vectors to a Matrix, checking shape and finiteness.
 *
 * @example
 * toMatrix('knn', [[0, 1], [1, 0]], 'queries'); // { data: Float32Array [0,1,1,0], rows: 2, dims: 2 }
 */
export function toMatrix(fn: string, vectors: VectorsLike, arg = 'vectors'): Matrix {
  let m: Matrix;
  if (vectors instanceof tf.Tensor) {
    if (vectors.rank !== 2) fail(fn, arg, 'be a 2-D tensor [N, D]', `rank ${vectors.rank}`);
    m = { data: Float32Array.from(vectors.dataSync()), rows: vectors.shape[0], dims: vectors.shape[1] };
  } else if (Array.isArray(vectors)) {
    const rows = vectors.length;
    const dims = rows > 0 && Array.isArray(vectors[0]) ? vectors[0].length : 0;
    const data = new Float32Array(rows * dims);
    for (let i = 0; i < rows; i++) {
      const row = vectors[i];
      if (!Array.isArray(row) || row.length !== dims) {
        fail(
          fn,
          arg,
          `have rows of equal length (${dims})`,
          `length ${Array.isArray(row) ? row.length : typeof row} at row ${i}`,
        );
      }
      data.set(row, i * dims);
    }
    m = { data, rows, dims };
  } else if (vectors && vectors.data instanceof Float32Array) {
    if (
      !Number.isInteger(vectors.rows) ||
      !Number.isInteger(vectors.dims) ||
      vectors.rows * vectors.dims !== vectors.data.length
    ) {
      fail(
        fn,
        arg,
        'have data.length = rows * dims',
        `${vectors.data.length} values for ${vectors.rows} x ${vectors.dims}`,
      );
    }
    m = vectors;
  } else {
    fail(fn, arg, 'be a 2-D tensor, number[][] or { data: Float32Array, rows, dims }', typeof vectors);
  }
  if (m.rows === 0 || m.dims === 0) fail(fn, arg, 'be non-empty', `${m.rows} x ${m.dims}`);
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i]))
      fail(fn, arg, 'contain only finite values', `${m.data[i]} at row ${Math.floor(i / m.dims)}`);
  }
  return m;
}

/**
 * Rows of `m` picked by index, as a new Matrix.
 *
 * @example
 * takeRows({ data: new Float32Array([1, 2, 3, 4]), rows: 2, dims: 2 }, [1]).data; // [3, 4]
 */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = new Float32Array(rows.length * m.dims);
  for (let i = 0; i < rows.length; i++) out.set(m.data.subarray(rows[i] * m.dims, (rows[i] + 1) * m.dims), i * m.dims);
  return { data: out, rows: rows.length, dims: m.dims };
}

/** Squared L2 distance between row i of a and row j of b, in float64. */
export function squaredDistance(a: Matrix, i: number, b: Matrix, j: number): number {
  let s = 0;
  const oa = i * a.dims;
  const ob = j * b.dims;
  for (let d = 0; d < a.dims; d++) {
    const t = a.data[oa + d] - b.data[ob + d];
    s += t * t;
  }
  return s;
}
