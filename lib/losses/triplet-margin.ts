import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import type { LossResult, TripletIndices } from '../types';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkEmbeddings, checkNumber, fail } from '../validate';
import { BaseMetricLoss, LOSS_REDUCTIONS, type LossInput, type LossParts, type LossReduction } from './base';
import { divideNonZero, divisor, fusable, fusedPairLoss, fusedPairWeights, type PassResult } from './fused-pairs';
import { fusedMinedTriplets, type TripletTerm } from './fused-triplets';
import { candidateDistances, negativeMask, positivesByAnchor, toTriplets } from './masks';
import { pickPairs } from './ops';

export interface TripletMarginOptions {
  /** Default 0.2 (FaceNet; the course's seed formula). */
  margin?: number;
  /** Default: squared euclidean on L2-normalized embeddings (the course default). */
  distance?: Distance;
  /** Default 'mean' over all triplets (the course default; pytorch-metric-learning uses meanNonZero). */
  reduction?: LossReduction;
  /** Distance swap (Balntas et al. 2016): the negative distance is the closer of d(a,n), d(p,n). */
  swap?: boolean;
  /** softplus(violation) instead of relu(violation) (the soft-margin triplet). */
  smoothLoss?: boolean;
}

/** The kind of each option, for the option check and the command line. */
export const TRIPLET_MARGIN_OPTIONS: OptionKinds<TripletMarginOptions> = {
  margin: 'number',
  distance: 'object',
  reduction: LOSS_REDUCTIONS,
  swap: 'boolean',
  smoothLoss: 'boolean',
};

export class TripletMarginLoss extends BaseMetricLoss {
  /** options.distance, under the name the loss body uses. */
  private readonly distance: Distance;

  /** Takes validated options (the factory `losses.tripletMargin` validates them) and keeps them whole. */
  constructor(readonly options: Resolved<TripletMarginOptions>) {
    super('tripletMargin', options.reduction);
    this.distance = options.distance;
  }

  private violation(ap: tf.Tensor, an: tf.Tensor, pn: () => tf.Tensor): tf.Tensor {
    // tfjs's Minimum/Maximum gradient does not reduce broadcast axes: broadcast an to pn first.
    const swapped = (other: tf.Tensor): tf.Tensor => this.distance.smallest(tf.broadcastTo(an, other.shape), other);
    const neg = this.options.swap ? swapped(pn()) : an;
    const v = tf.add(this.distance.margin(ap, neg), this.options.margin);
    return this.options.smoothLoss ? tf.softplus(v) : tf.relu(v);
  }

  protected computeLoss(input: LossInput): LossParts {
    const { labels, ref, mined } = input;
    const fused = !this.options.swap && fusable(this.distance, input);
    if (mined && fused) return fusedMinedTriplets(this.distance, input, toTriplets(mined), this.termOptions());
    if (mined) return this.minedTerms(input.embeddings, ref.embeddings, toTriplets(mined));
    if (fused) {
      const { pos, neg } = fusedPairWeights(input);
      return fusedPairLoss(this.distance, input, (d, n, grad) => this.allTripletsPass(d, n, grad, pos, neg));
    }
    const mat = candidateDistances(this.distance, input);
    // Swap needs d(p, n) between candidates: the same matrix for a batch, the reference's own otherwise.
    const candidateMatrix = (): tf.Tensor2D => (ref.isBatch ? mat : this.distance.pairwise(ref.embeddings));
    // Every valid triplet, laid out [N, K, M] (anchor, its k-th positive, candidate negative):
    // K is the largest positive count, so a PK batch never builds [N, N, N].
    const n = labels.length;
    const byAnchor = positivesByAnchor(labels, ref);
    const k = byAnchor.k;
    if (k === 0) return { groups: [] }; // no positive pair: no triplet
    const valid = tf.tensor3d(byAnchor.valid, [n, k, 1]);
    const neg = negativeMask(labels, ref);
    const ap = tf.reshape(pickPairs(mat, byAnchor.anchor, byAnchor.index), [n, k, 1]);
    const an = tf.reshape(mat, [n, 1, ref.m]);
    const pn = (): tf.Tensor =>
      tf.reshape(tf.gather(candidateMatrix(), tf.tensor1d(byAnchor.index, 'int32')), [n, k, ref.m]);
    const values = this.violation(ap, an, pn);
    return {
      groups: [{ values, weights: tf.mul(valid, tf.reshape(neg, [n, 1, ref.m])) }],
      positive: { values: ap, weights: valid },
      negative: { values: mat, weights: neg },
    };
  }

  private termOptions(): TripletTerm {
    return { margin: this.options.margin, smoothLoss: this.options.smoothLoss, reduction: this.reduction };
  }

  /**
   * Every valid triplet's term in one pass over the distances (fused-pairs.ts): for each anchor,
   * each positive p and each negative j, f(margin(d_ap, d_aj) + m), f = relu or softplus.
   */
  private allTripletsPass(
    d: Float32Array,
    n: number,
    grad: Float32Array,
    pos: Float32Array,
    neg: Float32Array,
  ): PassResult {
    const { margin, smoothLoss } = this.options;
    const sign = this.distance.isInverted ? -1 : 1; // margin(x, y) = sign (x - y)
    let total = 0;
    let terms = 0;
    let active = 0;
    let positiveSum = 0;
    let positiveCount = 0;
    let negativeSum = 0;
    let negativeCount = 0;
    // Per anchor, its negatives' columns and signed distances packed, and their gradient summed
    // there before one scatter: the inner loop over (positive, negative) stays tight.
    const negatives = new Int32Array(n);
    const negDist = new Float64Array(n);
    const negGrad = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let count = 0;
      for (let j = 0; j < n; j++) {
        if (neg[row + j] > 0) {
          negatives[count] = j;
          negDist[count] = sign * d[row + j];
          negGrad[count++] = 0;
          negativeSum += d[row + j];
        }
      }
      negativeCount += count;
      for (let p = 0; p < n; p++) {
        if (!(pos[row + p] > 0)) continue;
        positiveSum += d[row + p];
        positiveCount++;
        const offset = sign * d[row + p] + margin; // v = offset - sign·d_an
        let apSlope = 0;
        if (smoothLoss) {
          for (let t = 0; t < count; t++) {
            const v = offset - negDist[t];
            // softplus as tfjs computes it, and its slope sigmoid(v)
            const value = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
            const slope = 1 / (1 + Math.exp(-v));
            total += value;
            if (value > 0) active++;
            apSlope += slope;
            negGrad[t] -= slope;
          }
        } else {
          for (let t = 0; t < count; t++) {
            const v = offset - negDist[t];
            if (v > 0) {
              total += v;
              active++;
              apSlope++;
              negGrad[t]--;
            }
          }
        }
        grad[row + p] += apSlope * sign;
        terms += count;
      }
      for (let t = 0; t < count; t++) grad[row + negatives[t]] += negGrad[t] * sign;
    }
    const div = divisor(this.reduction, terms, active);
    divideNonZero(grad, n * n, div);
    return { loss: total / div, terms, active, positiveSum, positiveCount, negativeSum, negativeCount };
  }

  /**
   * Terms of mined triplets from the rows they name: only the T mined pairs' distances, O(T·D)
   * forward and backward, where picking them from the [N, M] matrix costs its matmul and, in the
   * backward pass, two more (4-5× the whole miner + loss step at B = 1024).
   */
  private minedTerms(anchors: tf.Tensor2D, candidates: tf.Tensor2D, t: TripletIndices): LossParts {
    const rows = (x: tf.Tensor2D, idx: Int32Array): tf.Tensor2D => tf.gather(x, tf.tensor1d(idx, 'int32'));
    const [a, p, n] = [rows(anchors, t.a), rows(candidates, t.p), rows(candidates, t.n)];
    const ap = this.distance.paired(a, p);
    const an = this.distance.paired(a, n);
    const ones = tf.ones(ap.shape);
    return {
      groups: [{ values: this.violation(ap, an, () => this.distance.paired(p, n)), weights: null }],
      positive: { values: ap, weights: ones },
      negative: { values: an, weights: ones },
    };
  }

  /**
   * The loss on explicit (anchor, positive, negative) batches of equal shape [T, D], as in the
   * seed's code: term t is relu(d(a_t, p_t) - d(a_t, n_t) + margin).
   *
   * @example
   * const [anchors, positives] = [tf.tensor2d([[1, 0]]), tf.tensor2d([[0.8, 0.6]])];
   * losses.tripletMargin().computeTriplets(anchors, positives, tf.tensor2d([[0, 1]])).loss; // one triplet's loss
   */
  computeTriplets(anchor: tf.Tensor2D, positive: tf.Tensor2D, negative: tf.Tensor2D): LossResult {
    const t = checkEmbeddings(this.name, anchor, { arg: 'anchor' });
    for (const [arg, x] of [
      ['positive', positive],
      ['negative', negative],
    ] as const) {
      checkEmbeddings(this.name, x, { arg });
      if (x.shape[0] !== t || x.shape[1] !== anchor.shape[1]) {
        fail(this.name, arg, `have the shape of anchor [${anchor.shape.join(',')}]`, x);
      }
    }
    return this.evaluate(anchor, () => {
      const ap = this.distance.paired(anchor, positive);
      const an = this.distance.paired(anchor, negative);
      const ones = tf.ones(ap.shape);
      const values = this.violation(ap, an, () => this.distance.paired(positive, negative));
      return {
        groups: [{ values, weights: null }],
        positive: { values: ap, weights: ones },
        negative: { values: an, weights: ones },
      };
    });
  }
}

/**
 * Triplet margin loss: relu(d(a,p) - d(a,n) + margin) over every valid triplet of the batch,
 * or over mined triplets (`compute(e, labels, mined)`), or explicit batches (`computeTriplets`).
 * Defaults are the course's: squared L2 on normalized embeddings, margin 0.2, mean over triplets.
 *
 * @example
 * const loss = losses.tripletMargin({ margin: 0.2 });
 * const { loss: value, stats } = loss.compute(embeddings, labels);
 * // pytorch-metric-learning's defaults instead:
 * losses.tripletMargin({ margin: 0.05, distance: distances.euclidean(), reduction: 'meanNonZero' });
 */
export function tripletMargin(options?: TripletMarginOptions): TripletMarginLoss {
  const fn = 'tripletMargin';
  checkOptions(fn, options, TRIPLET_MARGIN_OPTIONS);
  const o = withDefaults<TripletMarginOptions>(
    {
      margin: 0.2,
      distance: distances.euclidean({ squared: true, normalize: true }),
      reduction: 'mean',
      swap: false,
      smoothLoss: false,
    },
    options,
  );
  checkNumber(fn, 'margin', o.margin, { min: 0 });
  return new TripletMarginLoss(o);
}
