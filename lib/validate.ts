/**
 * Argument checks shared by every public function. Messages follow one pattern so users (and
 * tests) can rely on them: "Error in <fn>: <arg> must <expectation>, but got <actual>".
 */
import * as tf from './tf';
import type { LabelsLike } from './types';
import { ArgumentError } from './argument-error';

export { ArgumentError };

export function fail(fn: string, arg: string, expectation: string, actual: unknown): never {
  throw new ArgumentError(fn, arg, expectation, describe(actual));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(',')}]`;
  return String(value);
}

/** The embeddings whose NaN/Infinity the caller (a training step) catches itself, while it runs. */
let guardedEmbeddings: tf.Tensor | null = null;

/**
 * Runs `fn` telling losses and miners that the caller catches non-finite `embeddings` itself, so
 * their finite-value check (a kernel and a read of the result per call) can be left out for that
 * tensor. The training step uses it: every BaseMetricLoss adds 0 · Σ embeddings to its loss, so a
 * NaN or Infinity in the embeddings makes the loss non-finite, and the step's NaN guard then
 * throws NonFiniteLossError (with the step and epoch) before any gradient is applied.
 *
 * @example
 * withFiniteGuard(embeddings, () => loss.compute(embeddings, labels)); // the loss skips its isFinite read
 */
export function withFiniteGuard<T>(embeddings: tf.Tensor, fn: () => T): T {
  const outer = guardedEmbeddings;
  guardedEmbeddings = embeddings;
  try {
    return fn();
  } finally {
    guardedEmbeddings = outer;
  }
}

/**
 * Whether `embeddings` need the finite-value check: false only inside `withFiniteGuard` for them.
 *
 * @example
 * checkEmbeddings('myLoss', embeddings, { checkFinite: finiteCheckNeeded(embeddings) });
 */
export function finiteCheckNeeded(embeddings: tf.Tensor): boolean {
  return embeddings !== guardedEmbeddings;
}

/** Checks a 2-D float embedding tensor; returns N. `checkFinite` reads values (not inside gradients-hot loops unless wanted). */
export function checkEmbeddings(
  fn: string,
  embeddings: unknown,
  { checkFinite = true, arg = 'embeddings' }: { checkFinite?: boolean; arg?: string } = {},
): number {
  if (!(embeddings instanceof tf.Tensor)) fail(fn, arg, 'be a 2-D tensor [N, D]', typeof embeddings);
  if (embeddings.rank !== 2)
    fail(fn, arg, 'be a 2-D tensor [N, D]', `rank ${embeddings.rank} (shape [${embeddings.shape.join(',')}])`);
  if (embeddings.dtype !== 'float32') fail(fn, arg, 'have dtype float32', embeddings.dtype);
  if (checkFinite) {
    const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(embeddings)).any().dataSync()[0]);
    if (bad) fail(fn, arg, 'contain only finite values', 'NaN or Infinity');
  }
  return embeddings.shape[0];
}

/** Converts labels to an Int32Array after checking length and integrality. */
export function labelsToArray(fn: string, labels: LabelsLike, expectedLength?: number, arg = 'labels'): Int32Array {
  let values: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.rank !== 1) fail(fn, arg, 'be a 1-D tensor or array', `rank ${labels.rank}`);
    values = labels.dataSync();
  } else if (labels && typeof (labels as ArrayLike<number>).length === 'number') {
    values = labels;
  } else {
    fail(fn, arg, 'be a 1-D tensor or an array of integers', typeof labels);
  }
  if (expectedLength !== undefined && values.length !== expectedLength) {
    fail(fn, arg, `have one entry per embedding (${expectedLength})`, values.length);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) fail(fn, arg, 'contain integers', `${v} at index ${i}`);
    out[i] = v;
  }
  return out;
}

/** Checks a number option lies in a range. */
export function checkNumber(
  fn: string,
  arg: string,
  value: unknown,
  {
    min = -Infinity,
    max = Infinity,
    integer = false,
    minExclusive = false,
  }: { min?: number; max?: number; integer?: boolean; minExclusive?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(fn, arg, 'be a finite number', value);
  if (integer && !Number.isInteger(value)) fail(fn, arg, 'be an integer', value);
  const low = minExclusive ? value <= min : value < min;
  if (low || value > max) {
    const lo = minExclusive ? `> ${min}` : `>= ${min}`;
    const range = max === Infinity ? lo : `${lo} and <= ${max}`;
    fail(fn, arg, `be ${range}`, value);
  }
  return value;
}

/** Checks a string option is one of the allowed literals (so a typo never falls through silently). */
export function checkOneOf<T extends string>(fn: string, arg: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(fn, arg, `be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, JSON.stringify(value));
  }
  return value as T;
}
