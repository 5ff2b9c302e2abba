import * as tf from '../tf';
import { distances } from '../distances';
import type { LabelsLike, LossResult, MinedIndices } from '../types';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber, fail } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
import { crossEntropy } from './class-weights';
import type { Reference } from './reference';
import { pairStats } from './masks';

export interface PrototypicalOptions {
  /** S: the first S items of each class in the batch are its support, the rest its queries. */
  supportPerClass: number;
  /** Multiplies the negative squared distances before the softmax (default 1, Snell et al.). */
  scale?: number;
  reduction?: LossReduction;
}

/** The kind of each option, for the option check and the command line. */
export const PROTOTYPICAL_OPTIONS: OptionKinds<PrototypicalOptions> = {
  supportPerClass: 'number',
  scale: 'number',
  reduction: LOSS_REDUCTIONS,
};

/** Batch positions of each class's support and query items, classes in order of first appearance. */
function episodeLayout(fn: string, labels: Int32Array, s: number): { support: number[][]; query: number[] } {
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => (byClass.get(c) ?? byClass.set(c, []).get(c)!).push(i));
  if (byClass.size < 2) fail(fn, 'labels', 'hold at least 2 classes (an episode with one class is always right)', 1);
  const support: number[][] = [];
  const query: number[] = [];
  for (const [c, items] of byClass) {
    if (items.length <= s) {
      fail(
        fn,
        'labels',
        `hold more than supportPerClass = ${s} items of every class (S support + queries)`,
        `class ${c} with ${items.length}`,
      );
    }
    support.push(items.slice(0, s));
    query.push(...items.slice(s));
  }
  return { support, query };
}

class PrototypicalLoss extends BaseMetricLoss {
  override readonly pairBased = false;
  private readonly distance = distances.euclidean({ squared: true, normalize: false });

  constructor(readonly options: Resolved<PrototypicalOptions>) {
    super('prototypical', options.reduction);
  }

  override compute(
    embeddings: tf.Tensor2D,
    labels: LabelsLike,
    mined?: MinedIndices,
    reference?: Reference,
  ): LossResult {
    if (mined !== undefined)
      fail(this.name, 'mined', 'be omitted (every query is scored against every prototype)', 'mined indices');
    if (reference !== undefined)
      fail(this.name, 'reference', 'be omitted (prototypes come from the batch itself)', 'a reference');
    return super.compute(embeddings, labels);
  }

  protected computeLoss({ embeddings, labels }: LossInput): LossParts {
    const { support, query } = episodeLayout(this.name, labels, this.options.supportPerClass);
    // Row w of `average` holds 1/S at the batch positions of way w's support items.
    const average = new Float32Array(support.length * labels.length);
    support.forEach((items, w) => items.forEach((i) => (average[w * labels.length + i] = 1 / items.length)));
    const prototypes = tf.matMul(tf.tensor2d(average, [support.length, labels.length]), embeddings) as tf.Tensor2D;
    const queries = tf.gather(embeddings, query) as tf.Tensor2D;
    const mat = this.distance.pairwise(queries, prototypes);
    const wayOf = new Map(support.map((items, w) => [labels[items[0]], w]));
    const oneHot = tf.oneHot(
      query.map((i) => wayOf.get(labels[i])!),
      support.length,
    ) as tf.Tensor2D;
    const asFloat = tf.cast(oneHot, 'float32') as tf.Tensor2D;
    return {
      groups: [{ values: crossEntropy(tf.mul(mat, -this.options.scale), asFloat), weights: null }],
      ...pairStats(mat, asFloat, tf.sub(1, asFloat)),
    };
  }
}

/**
 * Prototypical-network loss (Snell, Swersky & Zemel 2017) on an episode laid out as a batch: for
 * each class of the batch its first S items are the support, whose mean embedding is the class
 * prototype, and the remaining items are queries; each query's loss is the cross-entropy of a
 * softmax over -scale·‖q − prototype‖² (squared Euclidean to the plain mean, as the paper). A P×K
 * batch (PKSampler) with K > S is a P-way, S-shot episode with K − S queries per class.
 *
 * @example
 * const loss = losses.prototypical({ supportPerClass: 2 });
 * loss.compute(embeddings, labels); // e.g. a PK batch of 20 classes x 4 items: 2 support + 2 queries each
 */
export function prototypical(options: PrototypicalOptions): BaseMetricLoss {
  const fn = 'prototypical';
  checkOptions(fn, options, PROTOTYPICAL_OPTIONS, ['supportPerClass']);
  const o = withDefaults<PrototypicalOptions>(
    { supportPerClass: options.supportPerClass, scale: 1, reduction: 'mean' },
    options,
  );
  checkNumber(fn, 'supportPerClass', o.supportPerClass, { min: 1, integer: true });
  checkNumber(fn, 'scale', o.scale, { min: 0, minExclusive: true });
  return new PrototypicalLoss(o);
}
