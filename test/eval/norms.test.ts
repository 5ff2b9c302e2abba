import { strict as assert } from 'assert';
import {
  averageRanks,
  meanNormByClass,
  neighbourMargins,
  normConfidence,
  rankAuc,
  rowNorms,
  spearman,
} from '../../lib/eval/norms';
import { rankingAgreement } from '../../lib/eval/ranking-agreement';
import { Random } from '../../lib/random';

const close = (a: number, b: number, tol = 1e-9, what = ''): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** Plain-loop Spearman of untied values: 1 - 6 sum d² / (n (n² - 1)). */
function spearmanUntied(a: number[], b: number[]): number {
  const rank = (v: number[]): number[] => v.map((x) => v.filter((y) => y < x).length + 1);
  const [ra, rb] = [rank(a), rank(b)];
  const n = a.length;
  return 1 - (6 * ra.reduce((s, r, i) => s + (r - rb[i]) ** 2, 0)) / (n * (n * n - 1));
}

describe('eval: norm statistics (lib/eval/norms)', () => {
  it('rowNorms, averageRanks and meanNormByClass on hand cases', () => {
    assert.deepEqual(
      [
        ...rowNorms([
          [3, 4],
          [0, 1],
          [0, 0],
        ]),
      ],
      [5, 1, 0],
    );
    assert.deepEqual([...averageRanks([10, 30, 20, 20])], [1, 4, 2.5, 2.5]);
    assert.deepEqual([...averageRanks([7, 7, 7])], [2, 2, 2]);
    const byClass = meanNormByClass(
      [
        [3, 4],
        [0, 1],
        [0, 3],
      ],
      [5, 1, 1],
    );
    assert.deepEqual(
      [...byClass.entries()],
      [
        [1, 2],
        [5, 5],
      ],
    );
  });

  it('spearman matches the untied closed form on random data, is rank-only, and handles ties', () => {
    const rng = new Random(3);
    const a = Array.from({ length: 40 }, () => rng.normal());
    const b = a.map((x) => x + 0.8 * rng.normal());
    close(spearman(a, b), spearmanUntied(a, b), 1e-12, 'random');
    close(
      spearman(
        a,
        a.map((x) => Math.exp(3 * x)),
      ),
      1,
      1e-12,
      'monotone',
    );
    close(
      spearman(
        a,
        a.map((x) => -x),
      ),
      -1,
      1e-12,
      'reversed',
    );
    // Ties: ranks [1.5, 1.5, 3, 4] vs [1, 2, 3, 4]: Pearson of those ranks.
    close(spearman([1, 1, 2, 3], [1, 2, 3, 4]), 4.5 / Math.sqrt(4.5 * 5), 1e-12, 'ties');
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
    assert.throws(() => spearman([1, 2], [1]), /spearman: b must hold one number per entry of a \(2\)/);
    assert.throws(() => spearman([1, NaN], [1, 2]), /spearman: a\[1\] must be finite/);
  });

  it('rankAuc counts ordered positive/negative pairs, ties one half', () => {
    assert.equal(rankAuc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]), 1);
    assert.equal(rankAuc([0.9, 0.8, 0.3, 0.1], [0, 0, 1, 1]), 0);
    // pairs (pos, neg): (0.5, 0.5) tie, (0.5, 0.1) win, (0.2, 0.5) loss, (0.2, 0.1) win -> 2.5 / 4
    assert.equal(rankAuc([0.5, 0.2, 0.5, 0.1], [true, true, false, false]), 0.625);
    assert.ok(Number.isNaN(rankAuc([1, 2], [1, 1])));
    assert.throws(() => rankAuc([1, 2], [1]), /rankAuc: positive must hold one flag per score \(2\)/);
  });

  it('neighbourMargins gives the nearest same- and other-class neighbour under each distance', () => {
    const pts = [
      [0, 0],
      [0, 1],
      [5, 0],
      [5, 2],
    ];
    const m = neighbourMargins(pts, [0, 0, 1, 1], { distance: 'euclidean' });
    assert.deepEqual([...m.nearestSame], [1, 1, 2, 2]);
    close(m.nearestOther[1], Math.sqrt(26));
    close(m.margin[3], Math.sqrt(26) - 2);
    assert.deepEqual([...m.correct], [1, 1, 1, 1]);
    // Direction classes at different lengths: cosine is right everywhere, dot favours the long vector.
    const dir = [
      [1, 0],
      [10, 0],
      [1, 0.3],
      [10, 3],
    ];
    const cos = neighbourMargins(dir, [0, 0, 1, 1], { distance: 'cosine' });
    assert.deepEqual([...cos.correct], [1, 1, 1, 1]);
    close(cos.nearestSame[0], 0, 1e-12);
    close(cos.nearestOther[0], 1 - 1 / Math.sqrt(1.09), 1e-7);
    const l2 = neighbourMargins(dir, [0, 0, 1, 1], { distance: 'euclidean' });
    assert.deepEqual([...l2.correct], [0, 0, 0, 0]);
    const dot = neighbourMargins(dir, [0, 0, 1, 1], { distance: 'dot' });
    close(dot.nearestSame[0], -10);
    close(dot.nearestOther[0], -10); // tie with (10, 3) counts as wrong
    assert.equal(dot.correct[0], 0);
    assert.throws(() => neighbourMargins([[1, 0]], [0]), /neighbourMargins: vectors must hold at least 2 rows/);
    assert.throws(
      () => neighbourMargins(pts, [0, 0, 1, 1], { distance: 'manhattan' as 'dot' }),
      /neighbourMargins: distance must be one of/,
    );
  });

  it('normConfidence: rho = 1 and AUC = 1 when the norm grows with the cosine margin, near 0 for random norms', () => {
    // Directions with class-dependent means and overlap, so some 1-NN are wrong under cosine.
    const rng = new Random(7);
    const labels = Array.from({ length: 200 }, (_, i) => i % 2);
    const directions = labels.map((c) => {
      const angle = c + 1.2 * rng.normal();
      return [Math.cos(angle), Math.sin(angle), 0.3 * rng.normal()];
    });
    // Cosine ignores the norm: the margins of the unit directions are those of any rescaling.
    const margin = neighbourMargins(directions, labels, { distance: 'cosine' }).margin;
    const scaled = (norm: (i: number) => number): number[][] =>
      directions.map((v, i) => {
        const n = Math.hypot(...v);
        return v.map((x) => (x / n) * norm(i));
      });
    const rising = normConfidence(
      scaled((i) => Math.exp(margin[i])),
      labels,
      { distance: 'cosine' },
    );
    assert.ok(rising.recallAt1 > 0.5 && rising.recallAt1 < 1, `R@1 ${rising.recallAt1}`);
    close(rising.normVsMargin, 1, 1e-12, 'rho');
    close(rising.normAucForCorrect, 1, 1e-12, 'AUC');
    assert.ok(rising.meanNormCorrect > rising.meanNormWrong);
    const falling = normConfidence(
      scaled((i) => Math.exp(-margin[i])),
      labels,
      { distance: 'cosine' },
    );
    close(falling.normVsMargin, -1, 1e-12, 'rho falling');
    close(falling.normAucForCorrect, 0, 1e-12, 'AUC falling');
    close(falling.recallAt1, rising.recallAt1, 0, 'same cosine ranking');
    const random = normConfidence(
      scaled(() => 0.5 + rng.uniform()),
      labels,
      { distance: 'cosine' },
    );
    assert.ok(Math.abs(random.normVsMargin) < 0.25, `rho ${random.normVsMargin}`);
    assert.ok(Math.abs(random.normAucForCorrect - 0.5) < 0.2, `AUC ${random.normAucForCorrect}`);
  });
});

describe('eval: rankingAgreement', () => {
  it('unit vectors: euclidean, cosine and dot give identical neighbour lists', () => {
    const rng = new Random(11);
    const unit = Array.from({ length: 60 }, () => {
      const v = Array.from({ length: 8 }, () => rng.normal());
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    });
    for (const pair of [
      ['euclidean', 'cosine'],
      ['euclidean', 'dot'],
      ['cosine', 'dot'],
    ] as const) {
      const r = rankingAgreement(unit, { distances: [pair[0], pair[1]], k: 59 });
      assert.equal(r.identicalLists, 1, pair.join(' vs '));
      assert.equal(r.meanOverlap, 1);
    }
    // Rescaling the rows changes euclidean and dot rankings but not cosine.
    const raw = unit.map((v) => {
      const s = 0.2 + 5 * rng.uniform();
      return v.map((x) => x * s);
    });
    assert.equal(rankingAgreement(raw, { distances: ['cosine', 'cosine'], k: 5 }).identicalLists, 1);
    const l2dot = rankingAgreement(raw, { distances: ['euclidean', 'dot'], k: 5 });
    assert.ok(l2dot.identicalLists < 0.5 && l2dot.sameNearest < 0.8, JSON.stringify(l2dot));
    const cosUnit = rankingAgreement(raw, { distances: ['cosine', 'euclidean'], k: 5 });
    assert.ok(cosUnit.meanOverlap < 0.9 && cosUnit.meanOverlap > 0, JSON.stringify(cosUnit));
  });

  it('hand case and argument errors', () => {
    const r = rankingAgreement(
      [
        [1, 0],
        [3, 3],
        [0, 1],
      ],
      { distances: ['euclidean', 'dot'], k: 1 },
    );
    close(r.sameNearest, 1 / 3);
    assert.throws(
      () => rankingAgreement([[1], [2]], { distances: ['euclidean', 'dot'], k: 2 }),
      /rankingAgreement: k must be an integer in \[1, 1\]/,
    );
    assert.throws(
      () => rankingAgreement([[1], [2]], { distances: ['euclidean'] as never, k: 1 }),
      /rankingAgreement: distances must be a pair of distance names/,
    );
  });
});
