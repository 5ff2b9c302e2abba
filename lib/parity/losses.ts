/**
 * Parity runner for 'loss' cases: builds the library loss each case's semantics describe, runs it
 * on the case's embeddings and labels, and compares with the reference (abs or rel error <= 1e-4).
 */
import * as tf from '../tf';
import { distances } from '../distances';
import { losses } from '../losses';
import { miners } from '../miners';
import type { ClassWeightLoss } from '../losses/class-weights';
import type { MetricLoss, MinedIndices } from '../types';
import type { CaseOutcome, CaseRunner, ParityCase } from './types';

export const LOSS_TOLERANCE = 1e-4;

const num = (c: ParityCase, key: string): number => {
  const v = c.semantics[key];
  if (typeof v !== 'number') throw new Error(`case ${c.name}: semantics.${key} is not a number`);
  return v;
};
const l2 = distances.euclidean({ squared: false, normalize: true });

interface Built {
  loss: MetricLoss;
  mine?: (e: tf.Tensor2D, labels: Int32Array) => MinedIndices;
}

/** Each fixture loss name, as the library spells it (semantics read from the case). */
const BUILDERS: Record<string, (c: ParityCase) => Built> = {
  contrastive: (c) => ({
    loss: losses.contrastive({ posMargin: num(c, 'pos_margin'), negMargin: num(c, 'neg_margin') }),
  }),
  contrastive_raw_margins: (c) => ({
    loss: losses.contrastive({
      posMargin: num(c, 'pos_margin'),
      negMargin: num(c, 'neg_margin'),
      distance: distances.euclidean({ normalize: false }),
    }),
  }),
  'triplet_all_m0.05': (c) => tripletAll(c),
  'triplet_all_m0.2': (c) => tripletAll(c),
  'triplet_all_m1.0': (c) => tripletAll(c),
  triplet_all_squared_mean: (c) => ({
    loss: losses.tripletMargin({
      margin: num(c, 'margin'),
      distance: distances.euclidean({ squared: true }),
      reduction: 'mean',
    }),
  }),
  triplet_all_swap: (c) => tripletAll(c, { swap: true }),
  triplet_all_soft: (c) => tripletAll(c, { smoothLoss: true }),
  triplet_batch_hard: (c) => {
    const miner = miners.batchHard({ distance: l2 });
    return { ...tripletAll(c), mine: (e, labels) => miner.mine(e, labels) };
  },
  multi_similarity: (c) => ({
    loss: losses.multiSimilarity({ alpha: num(c, 'alpha'), beta: num(c, 'beta'), base: num(c, 'base') }),
  }),
  ntxent_supervised_pairs: (c) => ({ loss: losses.ntXent({ temperature: num(c, 'temperature') }) }),
  supcon: (c) => ({ loss: losses.supCon({ temperature: num(c, 'temperature') }) }),
  lifted_structure: (c) => ({
    loss: losses.liftedStructure({ posMargin: num(c, 'pos_margin'), negMargin: num(c, 'neg_margin') }),
  }),
  circle: (c) => ({ loss: losses.circle({ m: num(c, 'm'), gamma: num(c, 'gamma') }) }),
  proxy_anchor: (c) =>
    withWeights(
      losses.proxyAnchor({ ...classShape(c, 'proxies'), margin: num(c, 'margin'), alpha: num(c, 'alpha') }),
      c.proxies,
    ),
  proxy_nca: (c) =>
    withWeights(losses.proxyNCA({ ...classShape(c, 'proxies'), softmaxScale: num(c, 'softmax_scale') }), c.proxies),
  arcface: (c) =>
    withWeights(
      losses.arcFace({
        ...classShape(c, 'weights_dim_by_class'),
        margin: num(c, 'margin_degrees'),
        scale: num(c, 'scale'),
      }),
      c.weights_dim_by_class,
    ),
  cosface: (c) =>
    withWeights(
      losses.cosFace({ ...classShape(c, 'weights_dim_by_class'), margin: num(c, 'margin'), scale: num(c, 'scale') }),
      c.weights_dim_by_class,
    ),
};

function tripletAll(c: ParityCase, extra: { swap?: boolean; smoothLoss?: boolean } = {}): Built {
  return { loss: losses.tripletMargin({ margin: num(c, 'margin'), distance: l2, reduction: 'meanNonZero', ...extra }) };
}

function classShape(
  c: ParityCase,
  key: 'proxies' | 'weights_dim_by_class',
): { numClasses: number; embeddingSize: number } {
  const w = c[key] as number[][];
  return key === 'proxies'
    ? { numClasses: w.length, embeddingSize: w[0].length }
    : { numClasses: w[0].length, embeddingSize: w.length };
}

function withWeights(loss: ClassWeightLoss, weights: unknown): Built {
  loss.setWeights(weights as number[][]);
  return { loss };
}

/** Relative-or-absolute error: the smaller of |a - e| and |a - e| / |e|. */
export function lossError(actual: number, expected: number): number {
  const abs = Math.abs(actual - expected);
  return Math.min(abs, abs / Math.max(Math.abs(expected), 1e-30));
}

export const runLossCase: CaseRunner = (c): CaseOutcome => {
  const build = BUILDERS[c.name];
  if (!build) return { passed: false, error: NaN, detail: `unknown loss case '${c.name}'` };
  const expected = c.expected.loss;
  if (typeof expected !== 'number') return { passed: false, error: NaN, detail: 'expected.loss is missing' };
  const { loss, mine } = build(c);
  const embeddings = tf.tensor2d(c.embeddings as number[][], undefined, 'float32');
  try {
    const labels = Int32Array.from(c.labels as number[]);
    const mined = mine?.(embeddings, labels);
    const value = tf.tidy(() => loss.compute(embeddings, labels, mined).loss.dataSync()[0]);
    const error = lossError(value, expected);
    return error <= LOSS_TOLERANCE
      ? { passed: true, error }
      : { passed: false, error, detail: `loss ${value}, expected ${expected}` };
  } finally {
    embeddings.dispose();
    for (const w of loss.trainableWeights()) w.dispose();
  }
};
