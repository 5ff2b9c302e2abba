/**
 * The fused pair losses (lib/losses/fused-pairs.ts: contrastive, multi-similarity and batch-all
 * triplet as one JavaScript pass over the distance matrix on wasm and cpu) give the tfjs form's
 * loss, stats and gradient on every option that reaches them, leak nothing, really replace the
 * element-wise chain, and step aside where they do not apply (a reference, a custom distance).
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { distances, type Distance } from '../../lib/distances';
import { losses } from '../../lib/losses';
import { fusable, setFusedPairLosses } from '../../lib/losses/fused-pairs';
import { resolveCandidates } from '../../lib/losses/reference';
import { miners } from '../../lib/miners';
import { Random } from '../../lib/random';
import type { LossStats, MetricLoss, Miner } from '../../lib/types';
import { withFiniteGuard } from '../../lib/validate';
import { describeAllBackends, expectClose } from '../helpers/backends';

interface Outcome {
  loss: number;
  stats: LossStats;
  grad: Float32Array;
  /** Kernels other than matmuls and copies (Identity) that produced a pair-sized output (≥ N·N values). */
  pairKernels: string[];
  /** How many kernels ran in all. */
  kernelCount: number;
}

/** Loss, stats, gradient and the kernels run, with the fused form on or off. */
async function evaluate(
  fused: boolean,
  loss: MetricLoss,
  e: tf.Tensor2D,
  labels: number[],
  miner?: Miner,
): Promise<Outcome> {
  const was = setFusedPairLosses(fused);
  try {
    const mined = miner?.mine(e, labels);
    let stats: LossStats | undefined;
    let out: { loss: number; grad: Float32Array } | undefined;
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      out = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => {
          const r = loss.compute(x as tf.Tensor2D, labels, mined);
          stats = r.stats;
          return r.loss;
        })(e);
        return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
      });
    });
    assert.equal(tf.memory().numTensors, before, 'tensors left behind');
    const n = e.shape[0];
    const pairKernels = profile.kernels
      .filter(
        (k) =>
          !['BatchMatMul', 'Identity'].includes(k.name) &&
          k.outputShapes.some((shape) => (shape ?? []).reduce((a, b) => a * b, 1) >= n * n),
      )
      .map((k) => k.name);
    return { ...out!, stats: stats!, pairKernels, kernelCount: profile.kernels.length };
  } finally {
    setFusedPairLosses(was);
  }
}

function batch(n: number, d: number, seed: number, duplicate = false): { e: tf.Tensor2D; labels: number[] } {
  const rng = new Random(seed);
  const values = Float32Array.from({ length: n * d }, () => rng.normal());
  if (duplicate) values.copyWithin(d, 0, d); // rows 0 and 1 equal: a zero distance inside a class
  return { e: tf.tensor2d(values, [n, d]), labels: Array.from({ length: n }, (_, i) => (i >> 1) % 6) };
}

const CASES: [string, () => MetricLoss, (() => Miner)?][] = [
  ['contrastive, defaults', () => losses.contrastive()],
  [
    'contrastive, squared form, mean',
    () => losses.contrastive({ form: 'squared', reduction: 'mean', posMargin: 0.1, negMargin: 1.2 }),
  ],
  [
    'contrastive, cosine, sum',
    () => losses.contrastive({ distance: distances.cosine(), posMargin: 0.9, negMargin: 0.3, reduction: 'sum' }),
  ],
  [
    'contrastive, squared L2 unnormalized',
    () => losses.contrastive({ distance: distances.euclidean({ squared: true, normalize: false }), negMargin: 20 }),
  ],
  ['contrastive, dot', () => losses.contrastive({ distance: distances.dot(), posMargin: 2, negMargin: -1 })],
  ['contrastive on pairMargin pairs', () => losses.contrastive(), () => miners.pairMargin()],
  ['contrastive on batch-hard triplets (pairs counted twice)', () => losses.contrastive(), () => miners.batchHard()],
  ['multiSimilarity, defaults', () => losses.multiSimilarity()],
  ['multiSimilarity on its miner', () => losses.multiSimilarity(), () => miners.multiSimilarity()],
  [
    'multiSimilarity, euclidean, meanNonZero',
    () => losses.multiSimilarity({ distance: distances.euclidean(), reduction: 'meanNonZero', base: 1 }),
  ],
  ['tripletMargin, all triplets', () => losses.tripletMargin()],
  [
    'tripletMargin, euclidean, meanNonZero',
    () => losses.tripletMargin({ distance: distances.euclidean(), reduction: 'meanNonZero', margin: 0.05 }),
  ],
  [
    'tripletMargin, cosine, soft margin, sum',
    () => losses.tripletMargin({ distance: distances.cosine(), smoothLoss: true, reduction: 'sum' }),
  ],
];

describeAllBackends('fused pair losses', () => {
  for (const [title, loss, miner] of CASES) {
    it(`${title}: loss, stats and gradient equal the tfjs form, no leak`, async function () {
      for (const duplicate of [false, true]) {
        const { e, labels } = batch(36, 8, 5, duplicate);
        const plain = await evaluate(false, loss(), e, labels, miner?.());
        const fused = await evaluate(true, loss(), e, labels, miner?.());
        e.dispose();
        const what = duplicate ? 'with a duplicate row' : 'random rows';
        expectClose([fused.loss], [plain.loss], 1e-6, 1e-5, `loss (${what})`);
        for (const k of Object.keys(plain.stats) as (keyof LossStats)[]) {
          expectClose([fused.stats[k] as number], [plain.stats[k] as number], 1e-6, 1e-5, `stats.${k} (${what})`);
        }
        expectClose(fused.grad, plain.grad, 1e-7, 1e-4, `gradient (${what})`);
        assert.ok(fused.grad.every(Number.isFinite), 'a finite gradient');
        // The tfjs form runs an element-wise chain over the pair matrix; the fused form only its matmul.
        assert.ok(plain.pairKernels.length > 5, `the tfjs form ran: ${plain.pairKernels.join(',')}`);
        assert.deepEqual(fused.pairKernels, [], 'the fused form ran no element-wise op over the pairs');
      }
    });
  }

  const MINED: [string, () => MetricLoss, () => Miner][] = [
    ['batch-hard, squared L2 (the course default)', () => losses.tripletMargin(), () => miners.batchHard()],
    [
      'semi-hard, euclidean, meanNonZero',
      () => losses.tripletMargin({ distance: distances.euclidean(), reduction: 'meanNonZero' }),
      () => miners.semiHard(),
    ],
    [
      'all triplets mined, cosine, soft margin',
      () => losses.tripletMargin({ distance: distances.cosine(), smoothLoss: true }),
      () => miners.tripletMargin({ margin: 0.1 }),
    ],
    [
      'distance-weighted, unnormalized dot, sum',
      () => losses.tripletMargin({ distance: distances.dot(), margin: 1, reduction: 'sum' }),
      () => miners.distanceWeighted(),
    ],
    [
      'batch-hard, squared L2 unnormalized',
      () => losses.tripletMargin({ distance: distances.euclidean({ squared: true, normalize: false }) }),
      () => miners.batchHard(),
    ],
  ];
  for (const [title, loss, miner] of MINED) {
    it(`mined triplets, ${title}: equal to the tfjs form, in a few kernels`, async function () {
      for (const duplicate of [false, true]) {
        const { e, labels } = batch(36, 8, 9, duplicate);
        const plain = await evaluate(false, loss(), e, labels, miner());
        const fused = await evaluate(true, loss(), e, labels, miner());
        e.dispose();
        expectClose([fused.loss], [plain.loss], 1e-6, 1e-5, 'loss');
        for (const k of Object.keys(plain.stats) as (keyof LossStats)[]) {
          expectClose([fused.stats[k] as number], [plain.stats[k] as number], 1e-6, 1e-5, `stats.${k}`);
        }
        expectClose(fused.grad, plain.grad, 1e-6, 1e-4, 'gradient');
        // No gathers, per-operand normalizations or element-wise reduction chain: under half the kernels.
        assert.ok(
          2 * fused.kernelCount < plain.kernelCount,
          `kernels: fused ${fused.kernelCount}, tfjs form ${plain.kernelCount}`,
        );
      }
    });
  }

  it('a NaN or Inf in a row makes each fused loss NaN, as the tfjs form (the training step relies on it)', function () {
    for (const bad of [NaN, Infinity]) {
      const rows = batch(10, 4, 3).e;
      const values = rows.dataSync().slice();
      rows.dispose();
      values[5] = bad;
      const e = tf.tensor2d(values, [10, 4]);
      const labels = Array.from({ length: 10 }, (_, i) => i % 3);
      for (const loss of [losses.contrastive(), losses.multiSimilarity(), losses.tripletMargin()]) {
        // As inside a training step, which leaves the finite check to this.
        const value = withFiniteGuard(e, () => tf.tidy(() => loss.compute(e, labels).loss.dataSync()[0]));
        assert.ok(Number.isNaN(value), `${loss.name} with ${bad}: ${value}`);
      }
      e.dispose();
    }
  });

  it('applies only to the batch itself and the distances of distances.*', function () {
    const { e, labels } = batch(8, 4, 1);
    const lab = Int32Array.from(labels);
    const input = { embeddings: e, labels: lab, n: 8, ref: resolveCandidates('t', e, lab) };
    assert.equal(fusable(distances.euclidean(), input), true);
    const memory = { embeddings: e, labels: lab };
    assert.equal(fusable(distances.euclidean(), { ...input, ref: resolveCandidates('t', e, lab, memory) }), false);
    const custom: Distance = { ...distances.euclidean() }; // same functions, not made by distances.*
    assert.equal(fusable(custom, input), false);
    const was = setFusedPairLosses(false);
    assert.equal(fusable(distances.euclidean(), input), false);
    setFusedPairLosses(was);
    e.dispose();
  });

  it('with a reference (cross-batch memory) the tfjs form runs and agrees with the plain loss', async function () {
    const { e, labels } = batch(12, 4, 2);
    const loss = losses.contrastive();
    const viaReference = tf.tidy(
      () =>
        loss
          .compute(e, labels, undefined, { embeddings: e, labels, selfIndex: labels.map((_, i) => i) })
          .loss.dataSync()[0],
    );
    const fused = tf.tidy(() => loss.compute(e, labels).loss.dataSync()[0]);
    expectClose([fused], [viaReference], 1e-6, 1e-5, 'loss');
    e.dispose();
  });
});
