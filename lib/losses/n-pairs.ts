import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { BaseMetricLoss, type LossInput, type LossParts } from './base';
import { toPairs, pairStats } from './masks';
import { forEachCandidate } from './reference';
import { closeness } from './ops';

export interface NPairsOptions {
  /** Default dot product (Sohn 2016). */
  distance?: Distance;
}

/** The kind of each option, for the option check and the command line. */
export const N_PAIRS_OPTIONS: OptionKinds<NPairsOptions> = { distance: 'object' };

class NPairsLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  constructor(readonly options: Resolved<NPairsOptions>) {
    super('nPairs', 'mean');
    this.distance = options.distance;
  }

  protected computeLoss({ embeddings, labels, ref, mined }: LossInput): LossParts {
    // One (anchor, positive) pair per label: the first such pair in batch order (or mined order),
    // the positive taken from the candidates (the batch, or a reference).
    const seen = new Set<number>();
    const a: number[] = [];
    const p: number[] = [];
    const consider = (i: number, j: number, positive: boolean): void => {
      if (!positive || seen.has(labels[i])) return;
      seen.add(labels[i]);
      a.push(i);
      p.push(j);
    };
    if (mined) {
      const pairs = toPairs(mined);
      for (let k = 0; k < pairs.a1.length; k++) {
        const [i, j] = [pairs.a1[k], pairs.p[k]];
        consider(i, j, j !== ref.self[i] && labels[i] === ref.labels[j]);
      }
    } else {
      for (let i = 0; i < labels.length; i++)
        forEachCandidate(labels, ref, i, (j, positive) => consider(i, j, positive));
    }
    if (a.length === 0) return { groups: [] };
    const anchors = tf.gather(embeddings, tf.tensor1d(a, 'int32'));
    const positives = tf.gather(ref.embeddings, tf.tensor1d(p, 'int32'));
    const mat = this.distance.pairwise(anchors, positives);
    const logits = closeness(this.distance, mat);
    // Each anchor's own positive is the right class among all the positives (cross-entropy).
    const eye = tf.eye(a.length);
    const values = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), eye), 1));
    return {
      groups: [{ values, weights: null }],
      ...pairStats(mat, eye, tf.sub(1, eye)),
    };
  }
}

/**
 * N-pairs loss (Sohn 2016): one (anchor, positive) pair per class; each anchor must pick its
 * own positive among all N positives by softmax over similarities. Mean over pairs.
 *
 * @example
 * losses.nPairs().compute(embeddings, labels).loss; // needs ≥ 2 samples of some classes
 */
export function nPairs(options?: NPairsOptions): BaseMetricLoss {
  checkOptions('nPairs', options, N_PAIRS_OPTIONS);
  return new NPairsLoss(withDefaults<NPairsOptions>({ distance: distances.dot() }, options));
}
