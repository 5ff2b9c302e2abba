/**
 * The shared half of every loss (pytorch-metric-learning's BaseMetricLossFunction): validate the
 * inputs once with the loss's name, run the subclass's `computeLoss` inside tf.tidy, reduce each
 * group of terms, add them, and turn the counts into plain-number stats with one read.
 */
import * as tf from '../tf';
import { isPairIndices, type LabelsLike, type LossResult, type MetricLoss, type MinedIndices } from '../types';
import { checkEmbeddings, checkOneOf, fail, finiteCheckNeeded, labelsToArray } from '../validate';
import { markedGrid } from '../miners/pair-grid';
import { reduce, type Reduction } from '../reducers';
import { resolveCandidates, type Candidates, type Reference } from './reference';

/** The reductions a loss accepts (its result is a scalar, so not 'none'). */
export type LossReduction = Exclude<Reduction, 'none'>;
export const LOSS_REDUCTIONS: readonly LossReduction[] = ['mean', 'meanNonZero', 'sum'];

/** One sub-loss: values with per-entry term weights (null = every entry is one term). */
export interface TermGroup {
  values: tf.Tensor;
  weights: tf.Tensor | null;
  /** Overrides the loss's reduction (e.g. a formula that fixes it). */
  reduction?: LossReduction;
}

/** What a subclass returns: its term groups, plus the distances that entered, for stats. */
export interface LossParts {
  groups: TermGroup[];
  positive?: { values: tf.Tensor; weights: tf.Tensor };
  negative?: { values: tf.Tensor; weights: tf.Tensor };
  /** Instead of groups and stats tensors: a loss already reduced, with its counts (fused-pairs.ts). */
  reduced?: { loss: tf.Scalar; counts: ReducedCounts };
}

/** The numbers `evaluate` turns into LossStats: term counts and the distance sums behind the means. */
export interface ReducedCounts {
  terms: number;
  active: number;
  positiveSum: number;
  positiveCount: number;
  negativeSum: number;
  negativeCount: number;
}

/** Validated inputs handed to `computeLoss`. */
export interface LossInput {
  /** The anchors [N, D]. */
  embeddings: tf.Tensor2D;
  labels: Int32Array;
  n: number;
  /** What anchors are paired with: the batch itself, or a reference (e.g. a cross-batch memory). */
  ref: Candidates;
  /** Anchor indices into the batch, positive/negative indices into `ref`. */
  mined?: MinedIndices;
}

export abstract class BaseMetricLoss implements MetricLoss {
  protected readonly reduction: LossReduction;
  /** Whether terms compare embeddings with embeddings, so a `reference` can supply candidates. */
  readonly pairBased: boolean = true;

  constructor(
    readonly name: string,
    reduction: LossReduction,
  ) {
    this.reduction = checkOneOf(name, 'reduction', reduction, LOSS_REDUCTIONS);
  }

  /** Fills in the loss: term groups in matrix or vector layout. Runs inside tf.tidy. */
  protected abstract computeLoss(input: LossInput): LossParts;

  trainableWeights(): tf.Variable[] {
    return [];
  }

  /**
   * The loss of a batch: pairs within it, or with `reference` (anchors from the batch, positives
   * and negatives from the reference, each anchor's `selfIndex` excluded).
   *
   * @example
   * loss.compute(embeddings, labels);
   * loss.compute(embeddings, labels, undefined, { embeddings: memory, labels: memoryLabels });
   */
  compute(embeddings: tf.Tensor2D, labels: LabelsLike, mined?: MinedIndices, reference?: Reference): LossResult {
    // Inside a training step the step's NaN guard catches non-finite embeddings (see withFiniteGuard).
    const n = checkEmbeddings(this.name, embeddings, { checkFinite: finiteCheckNeeded(embeddings) });
    const lab = labelsToArray(this.name, labels, n);
    if (reference !== undefined && !this.pairBased) {
      fail(this.name, 'reference', 'be omitted (this loss compares embeddings with its own weights)', 'a reference');
    }
    const ref = resolveCandidates(this.name, embeddings, lab, reference);
    if (mined) checkMined(this.name, mined, n, ref.m);
    return this.evaluate(embeddings, () => this.computeLoss({ embeddings, labels: lab, n, ref, mined }));
  }

  /** Runs `parts` in tf.tidy, reduces its groups and reads the stats (for compute-like methods). */
  protected evaluate(embeddings: tf.Tensor, fill: () => LossParts): LossResult {
    let fused: ReducedCounts | null = null;
    const { loss, counts } = tf.tidy(() => {
      const parts = fill();
      // Starting from 0 * sum(embeddings) keeps the loss connected to the graph with no terms, and
      // makes it non-finite when an embedding is (a training step relies on that; withFiniteGuard).
      let total: tf.Tensor = tf.mul(tf.sum(embeddings), 0);
      if (parts.reduced) {
        fused = parts.reduced.counts;
        return { loss: tf.add(total, parts.reduced.loss) as tf.Scalar, counts: tf.scalar(0) }; // counts: numbers already
      }
      let terms: tf.Tensor = tf.scalar(0);
      let active: tf.Tensor = tf.scalar(0);
      for (const g of parts.groups) {
        const r = reduce(g.values, g.weights, g.reduction ?? this.reduction);
        total = tf.add(total, r.loss);
        terms = tf.add(terms, r.terms);
        active = tf.add(active, r.active);
      }
      const sums = [parts.positive, parts.negative].flatMap((d) =>
        d ? [tf.sum(tf.mul(d.values, d.weights)), tf.sum(d.weights)] : [tf.scalar(0), tf.scalar(0)],
      );
      return { loss: total as tf.Scalar, counts: tf.stack([terms, active, ...sums]) };
    });
    const f = fused as ReducedCounts | null;
    const c = f
      ? [f.terms, f.active, f.positiveSum, f.positiveCount, f.negativeSum, f.negativeCount]
      : counts.dataSync();
    counts.dispose();
    return {
      loss,
      stats: {
        terms: c[0],
        activeTerms: c[1],
        fractionActive: c[0] > 0 ? c[1] / c[0] : 0,
        meanPositiveDistance: c[3] > 0 ? c[2] / c[3] : NaN,
        meanNegativeDistance: c[5] > 0 ? c[4] / c[5] : NaN,
      },
    };
  }
}

/** Checks mined indices: equal lengths, anchors inside the batch, the others inside the candidates. */
function checkMined(fn: string, mined: MinedIndices, n: number, m: number): void {
  const grid = markedGrid(mined);
  if (grid) {
    // A library miner's grid is valid by construction; only its shape can be of another batch.
    if (grid.n !== n || grid.m !== m)
      fail(
        fn,
        'mined',
        `come from this batch (${n} anchors x ${m} candidates)`,
        `pairs mined from ${grid.n} x ${grid.m}`,
      );
    return;
  }
  const groups: [string, Int32Array][] = isPairIndices(mined)
    ? [
        ['mined.a1', mined.a1],
        ['mined.p', mined.p],
        ['mined.a2', mined.a2],
        ['mined.n', mined.n],
      ]
    : [
        ['mined.a', mined.a],
        ['mined.p', mined.p],
        ['mined.n', mined.n],
      ];
  const lengthOf = (k: number): number => groups[k][1].length;
  if (lengthOf(0) !== lengthOf(1))
    fail(fn, groups[1][0], `have the length of ${groups[0][0]} (${lengthOf(0)})`, lengthOf(1));
  if (lengthOf(groups.length - 1) !== lengthOf(groups.length - 2))
    fail(
      fn,
      groups[groups.length - 1][0],
      `have the length of ${groups[groups.length - 2][0]}`,
      lengthOf(groups.length - 1),
    );
  for (const [arg, idx] of groups) {
    const size = /^mined\.a/.test(arg) ? n : m;
    for (let k = 0; k < idx.length; k++) {
      if (!(idx[k] >= 0 && idx[k] < size)) fail(fn, arg, `hold indices in [0, ${size})`, `${idx[k]} at position ${k}`);
    }
  }
}

/**
 * Checks that labels are class indices in [0, numClasses) (proxy and classifier losses).
 *
 * @example
 * checkClassLabels('proxyNCA', Int32Array.from([0, 3, 9]), 10); // passes; a label 10 would throw
 */
export function checkClassLabels(fn: string, labels: Int32Array, numClasses: number): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || labels[i] >= numClasses) {
      fail(fn, 'labels', `be class indices in [0, ${numClasses})`, `${labels[i]} at index ${i}`);
    }
  }
}
