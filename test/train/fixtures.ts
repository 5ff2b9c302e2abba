/**
 * Tiny stand-ins for the other areas' losses, miners and samplers (implementing the contracts of
 * lib/types.ts and lib/samplers/types.ts), so the loop is tested on its own, on inputs small
 * enough to run in milliseconds.
 * Every op is differentiable on wasm and cpu without gather (matMul with one-hot selections).
 */
import * as tf from '../../lib/tf';
import { Random } from '../../lib/random';
import {
  isTripletIndices,
  type LabelsLike,
  type LossResult,
  type MetricLoss,
  type MinedIndices,
  type Miner,
  type MinerResult,
} from '../../lib/types';
import type { BatchSampler, TupleBatch, TupleSampler } from '../../lib/samplers';

/** `classes` Gaussian clusters in `dim` dimensions, `perClass` points each. */
export function clusters(
  classes: number,
  perClass: number,
  dim: number,
  seed: number,
): { x: tf.Tensor2D; labels: Int32Array } {
  const rng = new Random(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => rng.normal(0, 2)));
  const rows: number[][] = [];
  const labels = new Int32Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < perClass; k++) {
      rows.push(centres[c].map((m) => m + rng.normal()));
      labels[c * perClass + k] = c;
    }
  }
  return { x: tf.tensor2d(rows), labels };
}

/** Shuffled fixed-size batches, reshuffled per epoch from the seed. */
export function shuffleSampler(n: number, batchSize: number, seed: number): BatchSampler {
  return {
    name: 'shuffle',
    batchesPerEpoch: Math.floor(n / batchSize),
    epoch(e: number): Int32Array[] {
      const perm = new Random(seed).fork(`epoch:${e}`).permutation(n);
      return Array.from({ length: Math.floor(n / batchSize) }, (_, b) =>
        perm.slice(b * batchSize, (b + 1) * batchSize),
      );
    },
  };
}

/** Random (a, p, n) triplets in the tuple-batch form { indices, triplets } (positions in indices). */
export function tripletSampler(labels: Int32Array, triplets: number, batches: number, seed: number): TupleSampler {
  return {
    name: 'random-triplets',
    batchesPerEpoch: batches,
    epoch(e: number): TupleBatch[] {
      const rng = new Random(seed).fork(`epoch:${e}`);
      return Array.from({ length: batches }, () => {
        const indices = new Int32Array(3 * triplets);
        for (let t = 0; t < triplets; t++) {
          const a = rng.int(labels.length);
          let p = rng.int(labels.length);
          while (labels[p] !== labels[a]) p = rng.int(labels.length);
          let n = rng.int(labels.length);
          while (labels[n] === labels[a]) n = rng.int(labels.length);
          indices.set([a, p, n], 3 * t);
        }
        const at = (k: number) => Int32Array.from({ length: triplets }, (_, t) => 3 * t + k);
        return { indices, triplets: { a: at(0), p: at(1), n: at(2) } };
      });
    },
  };
}

function labelArray(labels: LabelsLike): Int32Array {
  return labels instanceof tf.Tensor ? Int32Array.from(labels.dataSync()) : Int32Array.from(labels);
}

/** One-hot rows selecting `idx` out of n: [idx.length, n]. */
function selector(idx: Int32Array, n: number): tf.Tensor2D {
  const values = new Float32Array(idx.length * n);
  idx.forEach((j, r) => (values[r * n + j] = 1));
  return tf.tensor2d(values, [idx.length, n]);
}

function squaredDistances(e: tf.Tensor2D): tf.Tensor2D {
  const sq = tf.sum(tf.square(e), 1, true);
  return tf.relu(tf.sub(tf.add(sq, sq.transpose()), tf.mul(2, tf.matMul(e, e, false, true)))) as tf.Tensor2D;
}

/**
 * All-pairs contrastive loss (positives pulled to 0, negatives pushed past `margin`); given
 * mined triplets, the triplet margin loss over those. `seen` records what the loss received.
 */
export function tinyLoss(margin = 1): MetricLoss & { seen: MinedIndices[] } {
  const seen: MinedIndices[] = [];
  return {
    name: 'tiny',
    seen,
    trainableWeights: () => [],
    compute(e: tf.Tensor2D, labels: LabelsLike, mined?: MinedIndices): LossResult {
      const y = labelArray(labels);
      const n = y.length;
      if (mined) seen.push(mined);
      if (mined && isTripletIndices(mined)) {
        const [loss, dap, dan, active] = tf.tidy(() => {
          const a = tf.matMul(selector(mined.a, n), e);
          const dp = tf.sum(tf.square(tf.sub(a, tf.matMul(selector(mined.p, n), e))), 1);
          const dn = tf.sum(tf.square(tf.sub(a, tf.matMul(selector(mined.n, n), e))), 1);
          const terms = tf.relu(tf.add(tf.sub(dp, dn), margin));
          return [tf.mean(terms), tf.mean(dp), tf.mean(dn), tf.greater(terms, 0).sum()];
        });
        const stats = statsOf(mined.a.length, active, dap, dan);
        return { loss: loss as tf.Scalar, stats };
      }
      const same = new Float32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) same[i * n + j] = i !== j && y[i] === y[j] ? 1 : 0;
      const diff = same.map((s, k) => (s === 0 && Math.floor(k / n) !== k % n ? 1 : 0));
      const [loss, dap, dan, active] = tf.tidy(() => {
        const d = squaredDistances(e);
        const pos = tf.tensor2d(same, [n, n]);
        const neg = tf.tensor2d(diff, [n, n]);
        const negTerms = tf.mul(neg, tf.relu(tf.sub(margin, d)));
        const l = tf.add(tf.div(tf.sum(tf.mul(pos, d)), tf.sum(pos)), tf.div(tf.sum(negTerms), tf.sum(neg)));
        const mp = tf.div(tf.sum(tf.mul(pos, d)), tf.sum(pos));
        const mn = tf.div(tf.sum(tf.mul(neg, d)), tf.sum(neg));
        return [l, mp, mn, tf.add(tf.greater(tf.mul(pos, d), 0).sum(), tf.greater(negTerms, 0).sum())];
      });
      return {
        loss: loss as tf.Scalar,
        stats: statsOf(same.reduce((a, b) => a + b) + diff.reduce((a, b) => a + b), active, dap, dan),
      };
    },
  };
}

/** Reads stat scalars and disposes them. */
function statsOf(terms: number, active: tf.Tensor, dap: tf.Tensor, dan: tf.Tensor): LossResult['stats'] {
  const [k, p, n] = [active, dap, dan].map((t) => t.dataSync()[0]);
  tf.dispose([active, dap, dan]);
  return {
    terms,
    activeTerms: k,
    fractionActive: terms ? k / terms : 0,
    meanPositiveDistance: p,
    meanNegativeDistance: n,
  };
}

/** Wraps a loss so that its `poisonAt`-th call (0-based) returns NaN. */
export function poisoned(inner: MetricLoss, poisonAt: number): MetricLoss {
  let calls = 0;
  return {
    name: 'poisoned',
    trainableWeights: () => inner.trainableWeights(),
    compute(e, labels, mined) {
      const r = inner.compute(e, labels, mined);
      if (calls++ !== poisonAt) return r;
      return { loss: tf.tidy(() => tf.mul(r.loss, NaN)) as tf.Scalar, stats: r.stats };
    },
  };
}

/** A proxy loss: squared distance of each embedding to its class's learnable proxy. */
export function proxyLoss(classes: number, dim: number, seed: number): MetricLoss & { proxies: tf.Variable } {
  const proxies = tf.variable(tf.randomNormal([classes, dim], 0, 1, 'float32', seed), true);
  return {
    name: 'proxy',
    proxies,
    trainableWeights: () => [proxies],
    compute(e, labels) {
      const y = labelArray(labels);
      const loss = tf.tidy(() => {
        const target = tf.matMul(selector(y, classes), proxies);
        return tf.mean(tf.sum(tf.square(tf.sub(e, target)), 1));
      }) as tf.Scalar;
      return {
        loss,
        stats: {
          terms: y.length,
          activeTerms: y.length,
          fractionActive: 1,
          meanPositiveDistance: NaN,
          meanNegativeDistance: NaN,
        },
      };
    },
  };
}

/** Every valid triplet of the batch, by plain loops. */
export function allTripletsMiner(): Miner {
  return {
    name: 'all-triplets',
    mine(_e: tf.Tensor2D, labels: LabelsLike): MinerResult {
      const y = labelArray(labels);
      const a: number[] = [];
      const p: number[] = [];
      const n: number[] = [];
      for (let i = 0; i < y.length; i++)
        for (let j = 0; j < y.length; j++)
          for (let k = 0; k < y.length; k++)
            if (i !== j && y[i] === y[j] && y[k] !== y[i]) {
              a.push(i);
              p.push(j);
              n.push(k);
            }
      return {
        a: Int32Array.from(a),
        p: Int32Array.from(p),
        n: Int32Array.from(n),
        stats: { mined: a.length, candidates: a.length },
      };
    },
  };
}
