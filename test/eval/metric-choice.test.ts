import * as assert from 'assert';
import * as tf from '../../lib/tf';
import { fullRankingMap } from '../../lib/eval/average-precision';
import { knnAccuracy } from '../../lib/eval/knn-accuracy';
import { kendallTau } from '../../lib/eval/rank-correlation';
import { retrievalMetrics } from '../../lib/eval/retrieval';
import { metricSuite } from '../../lib/course/metric-suite';
import { Random } from '../../lib/random';
import { expectClose } from '../helpers/backends';

/** Plain-loop average precision of a ranking (1 = relevant), the reference for fullRankingMap. */
function averagePrecision(relevance: number[]): number {
  let hits = 0;
  let sum = 0;
  relevance.forEach((r, i) => {
    if (r) sum += ++hits / (i + 1);
  });
  return sum / hits;
}

describe('metrics for choosing the metric', () => {
  it('knnAccuracy: majority of the k nearest, ties to the nearer vote', () => {
    // Points on a line, no tied distances: 0, 1 (label 0), 2.5, 3.2 (label 1), 10, 11 (label 2).
    const x = [[0], [1], [2.5], [3.2], [10], [11]];
    const y = [0, 0, 1, 1, 2, 2];
    assert.strictEqual(knnAccuracy({ queries: x, queryLabels: y, k: 1 }), 1);
    // k = 2: one vote each for point 0 (1 -> label 0, 2.5 -> label 1): the nearer vote wins; the
    // same holds for every point, so all are right.
    assert.strictEqual(knnAccuracy({ queries: x, queryLabels: y, k: 2 }), 1);
    // k = 3: every class has only 2 items, so the other class's two nearest outvote the one same-class neighbour.
    assert.strictEqual(knnAccuracy({ queries: x, queryLabels: y, k: 3 }), 0);
    // A separate reference set.
    assert.strictEqual(
      knnAccuracy({ queries: [[0.4], [10.4]], queryLabels: [0, 1], reference: x, referenceLabels: y, k: 1 }),
      0.5,
    );
  });
  it('knnAccuracy with k = 1 equals Precision@1 on random data', () => {
    const rng = new Random(3);
    const x = Array.from({ length: 60 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((_, i) => i % 4);
    const p1 = retrievalMetrics({ queries: x, queryLabels: y }).precisionAt1;
    assert.strictEqual(knnAccuracy({ queries: x, queryLabels: y, k: 1 }), p1);
  });
  it('knnAccuracy names bad arguments', () => {
    assert.throws(
      () => knnAccuracy({ queries: [[0], [1]], queryLabels: [0, 1], k: 2 }),
      /knnAccuracy.*k.*at most.*\(1\)/,
    );
    assert.throws(() => knnAccuracy({ queries: [[0], [1]], queryLabels: [0], k: 1 }), /knnAccuracy.*queryLabels/);
  });
  it('kendallTau matches scipy tau-b by hand, with ties', () => {
    assert.strictEqual(kendallTau([1, 2, 3, 4], [10, 20, 30, 40]), 1);
    assert.strictEqual(kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    // scipy.stats.kendalltau([1, 2, 2, 3], [1, 1, 2, 3]) = 0.8 (tau-b)
    expectClose([kendallTau([1, 2, 2, 3], [1, 1, 2, 3])], [0.8], 1e-12);
    // 4 concordant, 2 discordant, no ties: (4 - 2) / 6
    expectClose([kendallTau([1, 2, 3, 4], [2, 1, 4, 3])], [2 / 6], 1e-12);
    assert.ok(Number.isNaN(kendallTau([1, 1, 1], [1, 2, 3])));
    assert.throws(() => kendallTau([1, 2], [1]), /kendallTau.*b.*one value per value of a \(2\)/);
  });
  it('fullRankingMap is the average precision of the whole ranking (plain-loop reference)', () => {
    const rng = new Random(7);
    const x = Array.from({ length: 40 }, () => [rng.normal(), rng.normal()]);
    const y = x.map((_, i) => i % 5);
    let expected = 0;
    x.forEach((q, i) => {
      const others = x.map((p, j) => ({ j, d: (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 })).filter((o) => o.j !== i);
      others.sort((a, b) => a.d - b.d || a.j - b.j);
      expected += averagePrecision(others.map((o) => (y[o.j] === y[i] ? 1 : 0)));
    });
    expectClose([fullRankingMap({ queries: x, queryLabels: y })], [expected / x.length], 1e-6);
    // It counts items ranked beyond R, which MAP@R ignores: here it is larger.
    assert.ok(fullRankingMap({ queries: x, queryLabels: y }) > retrievalMetrics({ queries: x, queryLabels: y }).mapAtR);
  });
  it('metricSuite: perfect clusters score 1 everywhere, no tensor leaks', () => {
    const centres = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const rows = Array.from({ length: 30 }, (_, i) => centres[i % 3].map((v, d) => v + 0.01 * ((i * (d + 1)) % 7)));
    const labels = rows.map((_, i) => i % 3);
    const e = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const s = metricSuite(e, labels, { clusterSeed: 1 });
    assert.strictEqual(tf.memory().numTensors, before);
    e.dispose();
    for (const [name, value] of Object.entries(s)) expectClose([value], [1], 1e-9, 0, name);
  });
  it('metricSuite on random embeddings sits near chance', () => {
    const rng = new Random(11);
    const e = tf.tensor2d(Array.from({ length: 120 }, () => Array.from({ length: 8 }, () => rng.normal())));
    const labels = Array.from({ length: 120 }, (_, i) => i % 4);
    const s = metricSuite(e, labels, { clusterSeed: 2 });
    assert.throws(() => metricSuite(e, labels.slice(1), { clusterSeed: 1 }), /metricSuite.*labels/);
    e.dispose();
    assert.ok(Math.abs(s.auc - 0.5) < 0.06, `AUC ${s.auc}`);
    assert.ok(Math.abs(s.ami) < 0.05, `AMI ${s.ami}`);
    assert.ok(s.mapAtR < 0.4 && s.recallAt1 < 0.45, `MAP@R ${s.mapAtR}, R@1 ${s.recallAt1}`);
  });
});
