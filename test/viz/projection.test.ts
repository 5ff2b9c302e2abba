/**
 * Projections to 2-D: PCA against hand-derived eigenvectors and a planted dominant direction;
 * UMAP seeded-deterministic and cluster-preserving.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { Random } from '../../lib/random';
import { pca, umap } from '../../lib/viz';
import { expectClose } from '../helpers/backends';

/** Three well-separated Gaussian clusters in `dim` dimensions. */
function clusters(seed: number, perClass: number, dim: number): { rows: number[][]; labels: number[] } {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      rows.push(Array.from({ length: dim }, (_, j) => (j === c ? 10 : 0) + rng.normal(0, 0.5)));
      labels.push(c);
    }
  }
  return { rows, labels };
}

/** Fraction of points whose nearest other point (plain loop) has the same label. */
function oneNnAccuracy(points: number[][], labels: number[]): number {
  let hits = 0;
  points.forEach((p, i) => {
    let best = -1;
    let bestD = Infinity;
    points.forEach((q, j) => {
      if (i === j) return;
      const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    });
    if (labels[best] === labels[i]) hits++;
  });
  return hits / points.length;
}

describe('viz projections', function () {
  it('pca: hand-derived axes, variances and projections on an axis-aligned cross', function () {
    // Mean 0; covariance diag(8/4, 2/4) = diag(2, 0.5) (population normalisation).
    const r = pca([
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ]);
    expectClose(r.components.flat(), [1, 0, 0, 1], 1e-9, 0, 'components');
    expectClose(r.explainedVariance, [2, 0.5], 1e-9, 0, 'variance');
    expectClose(r.explainedVarianceRatio, [0.8, 0.2], 1e-9, 0, 'ratio');
    expectClose(r.points.flat(), [2, 0, -2, 0, 0, 1, 0, -1], 1e-9, 0, 'points');
  });

  it('pca: the same cross rotated by 30 degrees and shifted gives rotated axes and the same projections', function () {
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const rot = (x: number, y: number): number[] => [c * x - s * y + 5, s * x + c * y - 3];
    const r = pca([rot(2, 0), rot(-2, 0), rot(0, 1), rot(0, -1)]);
    // First axis (c, s); second (-s, c) flipped so its largest entry (c) is positive: (-s, c).
    expectClose(r.components.flat(), [c, s, -s, c], 1e-9, 0, 'components');
    expectClose(r.mean, [5, -3], 1e-12, 0, 'mean');
    expectClose(r.points.flat(), [2, 0, -2, 0, 0, 1, 0, -1], 1e-9, 0, 'points');
  });

  it('pca: recovers a planted dominant direction in 3-D, whatever the seed', function () {
    const u = [12 / 25, 20 / 25, 9 / 25];
    const rng = new Random(5);
    const rows = Array.from({ length: 200 }, () => {
      const t = rng.normal(0, 3);
      return u.map((ui) => t * ui + rng.normal(0, 0.1));
    });
    const a = pca(rows, { seed: 1 });
    const b = pca(rows, { seed: 2 });
    assert.ok(
      a.components[0].every((v, i) => Math.abs(v - u[i]) < 0.01),
      `got ${a.components[0]}`,
    );
    assert.ok(a.explainedVarianceRatio[0] > 0.99, `ratio ${a.explainedVarianceRatio[0]}`);
    expectClose(a.points.flat(), b.points.flat(), 1e-6, 0, 'seed-independent points');
    assert.deepEqual(pca(rows, { seed: 1 }), a, 'same seed, same result');
  });

  it('pca: accepts a tensor, and names bad arguments', async function () {
    await ready();
    const rows = [
      [1, 2, 3],
      [2, 1, 0],
      [0, 0, 1],
    ];
    const t = tf.tensor2d(rows);
    expectClose(pca(t).points.flat(), pca(rows).points.flat(), 1e-6, 0, 'tensor input');
    t.dispose();
    assert.throws(() => pca([[1, 2]]), /Error in pca: data must have at least 2 rows, but got 1/);
    assert.throws(
      () => pca([[1, 2], [3]]),
      /Error in pca: data must have rows of equal length \(2\), but got 1 in row 1/,
    );
    assert.throws(
      () => pca(rows, { components: 4 }),
      /Error in pca: components must be at most the data dimension \(3\), but got 4/,
    );
    assert.throws(
      () =>
        pca([
          [1, NaN],
          [0, 0],
        ]),
      /Error in pca: data must contain only finite values, but got NaN at row 0/,
    );
  });

  it('umap: the same seed gives the same map, another seed another; clusters stay apart', function () {
    this.timeout(30000);
    const { rows, labels } = clusters(3, 15, 8);
    const a = umap(rows, { seed: 7, nNeighbors: 8, nEpochs: 80 });
    const b = umap(rows, { seed: 7, nNeighbors: 8, nEpochs: 80 });
    const c = umap(rows, { seed: 8, nNeighbors: 8, nEpochs: 80 });
    assert.equal(a.length, 45);
    assert.equal(a[0].length, 2);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(oneNnAccuracy(a, labels), 1);
    assert.throws(
      () => umap(rows.slice(0, 5), { nNeighbors: 5 }),
      /Error in umap: nNeighbors must be less than the number of rows \(5\), but got 5/,
    );
  });
});
