/**
 * The row-matrix input the projections accept: plain rows or a 2-D tensor (read once, so a
 * notebook can pass model outputs directly).
 */
import * as tf from '../tf';
import { fail } from '../validate';

/** N rows of D numbers, or a [N, D] tensor. */
export type MatrixLike = ReadonlyArray<ArrayLike<number>> | tf.Tensor2D;

/** A dense row-major matrix in float64 (projections accumulate sums of many products). */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * Copies rows or a tensor into a DenseMatrix, checking shape and finiteness.
 *
 * @example
 * toDense('pca', 'data', [[1, 2], [3, 4]]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 */
export function toDense(fn: string, arg: string, input: MatrixLike, minRows = 1): DenseMatrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2) fail(fn, arg, 'be a 2-D tensor [N, D]', input);
    [rows, cols] = input.shape;
    data = Float64Array.from(input.dataSync());
  } else {
    if (!Array.isArray(input)) fail(fn, arg, 'be an array of rows or a 2-D tensor', typeof input);
    rows = input.length;
    cols = rows > 0 ? input[0].length : 0;
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = input[i];
      if (!row || row.length !== cols) {
        fail(fn, arg, `have rows of equal length (${cols})`, `${row?.length} in row ${i}`);
      }
      for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
    }
  }
  if (rows < minRows) fail(fn, arg, `have at least ${minRows} rows`, rows);
  if (cols < 1) fail(fn, arg, 'have at least one column', cols);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      fail(fn, arg, 'contain only finite values', `${data[i]} at row ${Math.floor(i / cols)}`);
    }
  }
  return { data, rows, cols };
}

/** Splits a DenseMatrix into plain rows. */
export function toRows(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
