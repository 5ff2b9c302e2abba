/**
 * Pair losses as one JavaScript pass over the batch's distance matrix, on the CPU backends (wasm,
 * cpu). Written with tfjs ops, contrastive, multi-similarity and batch-all triplet are chains of
 * element-wise ops over [N, N] (or [N, K, N]) tensors: masks, margins, comparisons, casts and
 * reductions, each a pass over memory with tfjs's per-op overhead, and as many again backwards
 * (about 110 ms at N = 1024 where PyTorch takes 25). Fused, the step is: one matmul for the Gram
 * matrix G = x xᵀ, one JavaScript pass that turns G into distances, loss terms, counts and
 * dL/dd, and one matmul back (dL/dx from dL/dG). The numbers are the tfjs form's within float
 * rounding (test/losses/fused-pairs.test.ts compares the two on every option).
 *
 * Used only where it applies: the batch is its own candidate set (no reference such as a
 * cross-batch memory), the distance is one of `distances.*`, and the backend keeps its data in
 * CPU memory (wasm, cpu); a GPU backend keeps the tfjs form, whose reads would stall it.
 *
 * @example
 * // What a loss's computeLoss does with its input: a pass fills dL/dd and returns the reduced loss.
 * const lossInput = (null as unknown) as LossInput;
 * const distance = distances.euclidean();
 * if (fusable(distance, lossInput)) {
 *   const { pos, neg } = fusedPairWeights(lossInput);
 *   const sumOfPositives = (d: Float32Array, n: number, grad: Float32Array): PassResult => {
 *     let [loss, count, negativeSum, negativeCount] = [0, 0, 0, 0];
 *     for (let e = 0; e < n * n; e++) {
 *       if (pos[e] > 0) [loss, count, grad[e]] = [loss + d[e], count + 1, 1];
 *       if (neg[e] > 0) [negativeSum, negativeCount] = [negativeSum + d[e], negativeCount + 1];
 *     }
 *     return { loss, terms: count, active: count, positiveSum: loss, positiveCount: count, negativeSum, negativeCount };
 *   };
 *   fusedPairLoss(distance, lossInput, sumOfPositives);
 * }
 */
import * as tf from '../tf';
import { l2NormalizeRows, libraryDistanceKind, type Distance } from '../distances';
import { FloatReader, ScratchArrays } from '../backend/float-reader';
import type { LossInput, LossParts, ReducedCounts } from './base';
import { pairWeights } from './masks';

/**
 * What a pass returns: the reduced loss, its term counts, and Σ d·w and Σ w over the positive and
 * the negative pairs (the stats' mean distances, as pairStats), gathered in the same loops.
 */
export type PassResult = { loss: number } & ReducedCounts;

/**
 * A loss's pass: `d` holds the N×N distances (or similarities) row-major; fill `grad` (zeros on
 * entry) with dL/dd and return the reduced loss, its counts and the pair sums.
 */
export type PairPass = (d: Float32Array, n: number, grad: Float32Array) => PassResult;

let enabled = true;

// Buffers reused across calls: a fresh 4 MB array per step costs milliseconds of page faults.
const gramReader = new FloatReader();
const scratch = new ScratchArrays();

/**
 * pairWeights into reused arrays (valid until the next call): the weights a fused loss passes to
 * fusedPairLoss and its pass.
 */
export function fusedPairWeights(input: LossInput): { pos: Float32Array; neg: Float32Array } {
  const size = input.n * input.ref.m;
  return pairWeights(input.labels, input.ref, input.mined, {
    pos: scratch.get('pos', size),
    neg: scratch.get('neg', size),
  });
}

/** Turns the fused form off (or back on), for A/B checks; returns the previous setting. */
export function setFusedPairLosses(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Whether `fusedPairLoss` applies to this loss input and distance (see the module comment). */
export function fusable(distance: Distance, input: LossInput): boolean {
  const backend = tf.getBackend();
  return (
    enabled &&
    input.ref.isBatch &&
    libraryDistanceKind(distance) !== undefined &&
    (backend === 'wasm' || backend === 'cpu')
  );
}

const SQRT_EPS = 1e-12;

/**
 * The loss of `pass` over the distances of the batch, with the gradient towards the embeddings.
 */
export function fusedPairLoss(distance: Distance, input: LossInput, pass: PairPass): LossParts {
  const kind = libraryDistanceKind(distance);
  if (!kind) throw new Error('fusedPairLoss: not a distance made by distances.*');
  const x = kind.normalize ? l2NormalizeRows(input.embeddings) : input.embeddings;
  const n = input.n;
  let counts: ReducedCounts | null = null;
  const lossOf = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [rows, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const gram = tf.matMul(rows, rows, false, true);
    const g = gramReader.read(gram);
    gram.dispose();
    const euclidean = kind.base === 'euclidean';
    const d = scratch.get('d', n * n);
    if (euclidean) euclideanFromGram(g, n, kind.squared, d);
    else d.set(g);
    const grad = scratch.get('grad', n * n);
    const { loss: value, ...reducedCounts } = pass(d, n, grad);
    counts = reducedCounts;
    const rowWeight = scratch.get('rowWeight', n);
    if (euclidean) gramGradient(grad, d, n, kind.squared, rowWeight);
    // The cpu backend keeps the array it is given: a scratch array must not become a tensor's data.
    const own = (a: Float32Array): Float32Array => (tf.getBackend() === 'cpu' ? a.slice() : a);
    save([rows, tf.tensor2d(own(grad), [n, n]), tf.tensor2d(own(rowWeight), [n, 1])]);
    return {
      value: tf.scalar(value),
      // G = x xᵀ, so dL/dx = (dG + dGᵀ) x, plus 2 x_i Σ(dL/d|x_i|²) for euclidean.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [r, dG, w] = saved;
        const viaGram = tf.add(tf.matMul(dG, r), tf.matMul(dG, r, true, false));
        return tf.mul(dy, euclidean ? tf.add(viaGram, tf.mul(r, w)) : viaGram);
      },
    };
  });
  const loss = lossOf(x) as tf.Scalar;
  return { groups: [], reduced: { loss, counts: counts as unknown as ReducedCounts } };
}

/*
 * The hot loops below live in small functions of their own, as do the passes' loops: a loop
 * inside a longer function is compiled on the fly (on-stack replacement) before the code after it
 * has run, V8 then throws that code away on reaching the rest, and at N = 1024 every call paid for
 * it again (the rest of the function, its million-entry loops included, ran in the interpreter).
 */

/**
 * Distances as the tfjs form computes them from the Gram matrix: |x_i|² + |x_j|² - 2 x_i·x_j in
 * float32, then relu (squared) or a sqrt.
 */
function euclideanFromGram(g: Float32Array, n: number, squared: boolean, d: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const ni = g[i * n + i];
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const sq = Math.fround(Math.fround(ni + g[j * n + j]) - Math.fround(2 * g[row + j]));
      const clamped = sq > 0 ? sq : 0;
      d[row + j] = squared ? clamped : Math.sqrt(clamped);
    }
  }
}

/**
 * dL/dG in place of dL/dd in `grad`, and in `rowWeight` (zeros on entry) the weight of each row's
 * own norm |x_i|² = G_ii, for euclidean distances `d` made by euclideanFromGram.
 */
function gramGradient(grad: Float32Array, d: Float32Array, n: number, squared: boolean, rowWeight: Float32Array): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const e = i * n + j;
      const gij = grad[e];
      if (gij === 0) continue;
      const dij = d[e];
      // dsq: relu passes where sq > 0; d(sqrt(sq))/dsq = 1 / (2 d), zero where sq <= 1e-12.
      const gsq = squared ? (dij > 0 ? gij : 0) : dij * dij > SQRT_EPS ? gij / (2 * dij) : 0;
      rowWeight[i] += 2 * gsq;
      rowWeight[j] += 2 * gsq;
      grad[e] = -2 * gsq;
    }
  }
}

/** Divides the non-zero entries of `grad` by `div` (a pass's reduction, once its counts are known). */
export function divideNonZero(grad: Float32Array, length: number, div: number): void {
  for (let e = 0; e < length; e++) if (grad[e] !== 0) grad[e] /= div;
}

/** The divisor of a reduction over `terms` terms of which `active` are > 0 (as lib/reducers.ts). */
export function divisor(reduction: 'mean' | 'meanNonZero' | 'sum', terms: number, active: number): number {
  if (reduction === 'sum') return 1;
  return Math.max(reduction === 'mean' ? terms : active, 1);
}
