/**
 * The triplet loss on mined triplets in one JavaScript pass over the embedding rows, on the CPU
 * backends (wasm, cpu), where fused-pairs.ts applies. Written with tfjs ops the mined form is small
 * (T distances) but long: gathers, a normalization per operand, the margin, the reduction and its
 * counts, about 340 kernels forward and backward, which at tfjs's per-kernel cost was most of a
 * batch-hard training step. Here: read the (normalized) rows once, compute d(a, p) and d(a, n) per
 * triplet as `distance.paired` does, the terms, counts and stats, and dL/dx row by row.
 *
 * @example
 * // In TripletMarginLoss.computeLoss, for mined triplets t of a batch:
 * const lossInput = (null as unknown) as LossInput;
 * const t = { a: Int32Array.from([0]), p: Int32Array.from([1]), n: Int32Array.from([2]) };
 * fusedMinedTriplets(distances.euclidean({ squared: true }), lossInput, t, { margin: 0.2, smoothLoss: false, reduction: 'mean' });
 */
import * as tf from '../tf';
import { l2NormalizeRows, libraryDistanceKind, type Distance } from '../distances';
import type { TripletIndices } from '../types';
import type { LossInput, LossParts, LossReduction } from './base';
import { divisor } from './fused-pairs';

const SQRT_EPS = 1e-12;

export interface TripletTerm {
  margin: number;
  /** softplus instead of relu. */
  smoothLoss: boolean;
  reduction: LossReduction;
}

/** The loss of mined triplets of the batch (see the module comment); the caller checks fusable(). */
export function fusedMinedTriplets(
  distance: Distance,
  input: LossInput,
  t: TripletIndices,
  term: TripletTerm,
): LossParts {
  const kind = libraryDistanceKind(distance);
  if (!kind) throw new Error('fusedMinedTriplets: not a distance made by distances.*');
  const x = kind.normalize ? l2NormalizeRows(input.embeddings) : input.embeddings;
  const [n, dim] = x.shape;
  const sign = distance.isInverted ? -1 : 1; // margin(u, v) = sign (u - v)
  const count = t.a.length;
  let counts = { terms: count, active: 0, positiveSum: 0, positiveCount: count, negativeSum: 0, negativeCount: count };
  const lossOf = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [rowsTensor, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const rows = rowsTensor.dataSync() as Float32Array; // N·D values: small next to the pairs
    /** d(i, j) as distance.paired computes it, and its slope towards the squared distance or the product. */
    const pair = (i: number, j: number): { d: number; slope: number } => {
      let acc = 0;
      if (kind.base === 'dot') {
        for (let c = 0; c < dim; c++) acc += rows[i * dim + c] * rows[j * dim + c];
        return { d: Math.fround(acc), slope: 1 };
      }
      for (let c = 0; c < dim; c++) {
        const diff = rows[i * dim + c] - rows[j * dim + c];
        acc += diff * diff;
      }
      const sq = Math.fround(acc);
      if (kind.squared) return { d: sq > 0 ? sq : 0, slope: sq > 0 ? 1 : 0 };
      const d = Math.sqrt(sq > 0 ? sq : 0);
      return { d, slope: sq > SQRT_EPS ? 1 / (2 * d) : 0 };
    };
    const ap = new Float64Array(count);
    const an = new Float64Array(count);
    const apSlope = new Float64Array(count);
    const anSlope = new Float64Array(count);
    const termSlope = new Float64Array(count);
    let total = 0;
    let active = 0;
    let positiveSum = 0;
    let negativeSum = 0;
    for (let k = 0; k < count; k++) {
      const p = pair(t.a[k], t.p[k]);
      const q = pair(t.a[k], t.n[k]);
      [ap[k], apSlope[k], an[k], anSlope[k]] = [p.d, p.slope, q.d, q.slope];
      positiveSum += p.d;
      negativeSum += q.d;
      const v = sign * (p.d - q.d) + term.margin;
      // relu, or softplus as tfjs computes it; the slope of each towards v.
      const value = term.smoothLoss ? (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))) : v > 0 ? v : 0;
      termSlope[k] = term.smoothLoss ? 1 / (1 + Math.exp(-v)) : v > 0 ? 1 : 0;
      total += value;
      if (value > 0) active++;
    }
    counts = { ...counts, active, positiveSum, negativeSum };
    const div = divisor(term.reduction, count, active);
    // dL/dx: through d(a, p) (+sign) and d(a, n) (-sign) to the rows each distance reads.
    const grad = new Float32Array(n * dim);
    const addPair = (i: number, j: number, g: number): void => {
      for (let c = 0; c < dim; c++) {
        const xi = rows[i * dim + c];
        const xj = rows[j * dim + c];
        if (kind.base === 'dot') {
          grad[i * dim + c] += g * xj;
          grad[j * dim + c] += g * xi;
        } else {
          grad[i * dim + c] += 2 * g * (xi - xj);
          grad[j * dim + c] -= 2 * g * (xi - xj);
        }
      }
    };
    for (let k = 0; k < count; k++) {
      const g = (termSlope[k] * sign) / div;
      if (g === 0) continue;
      addPair(t.a[k], t.p[k], g * apSlope[k]);
      addPair(t.a[k], t.n[k], -g * anSlope[k]);
    }
    save([tf.tensor2d(grad, [n, dim])]);
    return {
      value: tf.scalar(total / div),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
    };
  });
  const loss = lossOf(x) as tf.Scalar;
  return { groups: [], reduced: { loss, counts } };
}
