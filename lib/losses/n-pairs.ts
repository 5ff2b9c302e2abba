import * as tf from '@tensorflow/tfjs';
import { distances, type Distance } from '../distances';
import { BaseMetricLoss, type LossInput, type LossParts } from './base';
import { toPairs, pairStats } from './masks';
import { closeness } from './ops';

class NPairsLoss extends BaseMetricLoss {
  constructor(private readonly distance: Distance) {
    super('nPairs', 'mean');
  }

  protected computeLoss({ embeddings, labels, mined }: LossInput): LossParts {
    // One (anchor, positive) pair per label: the first such pair in batch order (or mined order).
    const seen = new Set<number>();
    const a: number[] = [];
    const p: number[] = [];
    const consider = (i: number, j: number): void => {
      if (i === j || labels[i] !== labels[j] || seen.has(labels[i])) return;
      seen.add(labels[i]);
      a.push(i);
      p.push(j);
    };
    if (mined) {
      const pairs = toPairs(mined);
      for (let k = 0; k < pairs.a1.length; k++) consider(pairs.a1[k], pairs.p[k]);
    } else {
      for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) consider(i, j);
    }
    if (a.length === 0) return { groups: [] };
    const anchors = tf.gather(embeddings, tf.tensor1d(a, 'int32'));
    const positives = tf.gather(embeddings, tf.tensor1d(p, 'int32'));
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
export function nPairs({ distance = distances.dot() }: { distance?: Distance } = {}): BaseMetricLoss {
  return new NPairsLoss(distance);
}
