/**
 * Small-loss selection (Han et al. 2018, Co-teaching; Jiang et al. 2018, MentorNet): networks fit
 * clean labels before noisy ones, so early in training the examples with the largest loss are the
 * likely mislabelled ones. This wrapper keeps only the `keep` fraction of a miner's triplets with
 * the smallest triplet loss relu(d(a,p) − d(a,n) + margin); with one triplet per anchor (batch-hard,
 * random) it is selection of anchors. Like Co-teaching, `keep` can ramp down from 1 over the first steps.
 */
import * as tf from '../tf';
import { distances, type Distance } from '../distances';
import { isTripletIndices, type LabelsLike, type Miner, type MinerResult } from '../types';
import { checkEmbeddings, checkNumber, checkOneOf, fail } from '../validate';

export interface SmallLossOptions {
  /** The miner whose triplets are filtered. */
  miner: Miner;
  /** Fraction of triplets kept, in (0, 1] (Co-teaching: 1 − the noise rate). */
  keep: number;
  /** The triplet loss's margin. Default 0.2 (the course's triplet loss). */
  margin?: number;
  /** The triplet loss's distance. Default squared euclidean on normalized embeddings (the course's). */
  distance?: Distance;
  /** Steps over which the kept fraction falls linearly from 1 to `keep` (Co-teaching's T_k). Default 0. */
  rampSteps?: number;
  /**
   * What is ranked: 'triplet' (each triplet by its loss; default) or 'anchor' (each anchor by the
   * mean loss of its triplets, keeping all triplets of the kept anchors: a mislabelled anchor has
   * all its positives far and its true classmates among the negatives, so its mean loss is high).
   */
  by?: SmallLossUnit;
}

export const SMALL_LOSS_UNITS = ['triplet', 'anchor'] as const;
export type SmallLossUnit = (typeof SMALL_LOSS_UNITS)[number];

class SmallLossMiner implements Miner {
  readonly name: string;
  private calls = 0;

  constructor(
    private readonly inner: Miner,
    private readonly keep: number,
    private readonly margin: number,
    private readonly distance: Distance,
    private readonly rampSteps: number,
    private readonly by: SmallLossUnit,
  ) {
    this.name = `smallLoss(${inner.name})`;
  }

  /** The fraction kept at `step`: 1 at step 0, `keep` from `rampSteps` on. */
  keptFraction(step: number): number {
    if (this.rampSteps === 0 || step >= this.rampSteps) return this.keep;
    return 1 - ((1 - this.keep) * step) / this.rampSteps;
  }

  mine(embeddings: tf.Tensor2D, labels: LabelsLike): MinerResult {
    checkEmbeddings(this.name, embeddings);
    const mined = this.inner.mine(embeddings, labels);
    if (!isTripletIndices(mined)) fail('smallLoss', 'miner', 'mine triplets', `pairs from ${this.inner.name}`);
    const fraction = this.keptFraction(this.calls++);
    const { a, p, n } = mined;
    const matrix = tf.tidy(() => this.distance.pairwise(embeddings));
    const mat = matrix.dataSync() as Float32Array;
    const size = embeddings.shape[0];
    matrix.dispose();
    const loss = Float64Array.from(a, (ai, k) =>
      Math.max(0, this.distance.marginOf(mat[ai * size + p[k]], mat[ai * size + n[k]]) + this.margin),
    );
    const chosen = this.by === 'triplet' ? smallest(loss, fraction) : tripletsOfAnchors(a, loss, size, fraction);
    return {
      a: Int32Array.from(chosen, (k) => a[k]),
      p: Int32Array.from(chosen, (k) => p[k]),
      n: Int32Array.from(chosen, (k) => n[k]),
      stats: { mined: chosen.length, candidates: mined.stats.candidates },
    };
  }
}

/** Positions of the ceil(fraction × count) smallest values, in their original order (ties: earlier first). */
function smallest(values: ArrayLike<number>, fraction: number): number[] {
  const count = values.length;
  const order = Array.from({ length: count }, (_, k) => k).sort((x, y) => values[x] - values[y] || x - y);
  return order.slice(0, Math.min(count, Math.ceil(fraction * count))).sort((x, y) => x - y);
}

/** Triplets whose anchor is among the `fraction` of anchors (with triplets) of smallest mean loss. */
function tripletsOfAnchors(a: Int32Array, loss: Float64Array, size: number, fraction: number): number[] {
  const sum = new Float64Array(size);
  const count = new Int32Array(size);
  a.forEach((ai, k) => {
    sum[ai] += loss[k];
    count[ai]++;
  });
  const anchors = Array.from({ length: size }, (_, i) => i).filter((i) => count[i] > 0);
  const keptAnchors = new Set(
    smallest(
      anchors.map((i) => sum[i] / count[i]),
      fraction,
    ).map((k) => anchors[k]),
  );
  return Array.from({ length: a.length }, (_, k) => k).filter((k) => keptAnchors.has(a[k]));
}

/**
 * Keeps the `keep` fraction of a miner's triplets with the smallest loss (small-loss selection
 * against label noise).
 *
 * @example
 * const miner = miners.smallLoss({ miner: miners.batchHard(), keep: 0.6, rampSteps: 50 }); // 40% noise
 * miners.smallLoss({ miner: miners.tripletMargin({ type: 'all', margin: 4 }), keep: 0.6, by: 'anchor' }); // anchors by mean loss
 * losses.tripletMargin().compute(embeddings, labels, miner.mine(embeddings, labels));
 */
export function smallLoss(options: SmallLossOptions): Miner {
  const fn = 'smallLoss';
  if (typeof options?.miner?.mine !== 'function') fail(fn, 'miner', 'be a Miner', options?.miner);
  const keep = checkNumber(fn, 'keep', options.keep, { min: 0, max: 1, minExclusive: true });
  const margin = checkNumber(fn, 'margin', options.margin ?? 0.2, { min: 0 });
  const rampSteps = checkNumber(fn, 'rampSteps', options.rampSteps ?? 0, { min: 0, integer: true });
  const distance = options.distance ?? distances.euclidean({ squared: true, normalize: true });
  const by = checkOneOf(fn, 'by', options.by ?? 'triplet', SMALL_LOSS_UNITS);
  return new SmallLossMiner(options.miner, keep, margin, distance, rampSteps, by);
}
