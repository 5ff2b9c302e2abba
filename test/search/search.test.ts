import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ready } from '../../lib/backend';
import { Random } from '../../lib/random';
import { ExactIndex } from '../../lib/search/exact-index';
import { IvfIndex } from '../../lib/search/ivf';
import { Pca } from '../../lib/linalg/pca';
import { ScalarQuantizer } from '../../lib/search/quantize';
import { evaluateIndex, recallAtK } from '../../lib/search/evaluate';
import type { Matrix } from '../../lib/linalg/matrix';
import { expectClose } from '../helpers/backends';

/**
 * Seeded gaussian clusters: `centres` centres at N(0, 1) drawn from `centreSeed`, points at
 * centre + N(0, spread) drawn from `pointSeed` (so queries can share the centres but not the points).
 */
function clusters(
  n: number,
  dims: number,
  centres: number,
  spread: number,
  centreSeed: number,
  pointSeed = centreSeed,
): Matrix {
  const rc = new Random(centreSeed);
  const c = Array.from({ length: centres * dims }, () => rc.normal());
  const rng = new Random(pointSeed);
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const k = rng.int(centres);
    for (let d = 0; d < dims; d++) data[i * dims + d] = c[k * dims + d] + rng.normal(0, spread);
  }
  return { data, rows: n, dims };
}

describe('search', () => {
  before(async () => {
    await ready();
  });
  it('ExactIndex returns exact neighbours, removes, and survives save/load', () => {
    const index = new ExactIndex(2);
    index.add(
      [
        [0, 0],
        [1, 0],
        [5, 5],
        [0, 2],
      ],
      [10, 11, 12, 13],
    );
    const r = index.search([[0.9, 0]], 3);
    assert.deepStrictEqual(Array.from(r.ids), [11, 10, 13]);
    expectClose(r.distances, [0.1, 0.9, Math.hypot(0.9, 2)], 1e-6);
    assert.strictEqual(index.remove([11, 99]), 1);
    assert.deepStrictEqual(Array.from(index.search([[0.9, 0]], 4).ids), [10, 13, 12, -1]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ml-')), 'x.idx');
    index.save(file);
    const back = ExactIndex.load(file);
    assert.strictEqual(back.size, 3);
    assert.deepStrictEqual(Array.from(back.search([[0.9, 0]], 3).ids), [10, 13, 12]);
    assert.throws(() => index.add([[1, 1]], [10]), /Error in ExactIndex.add: ids must be unique/);
    fs.writeFileSync(file, 'nonsense');
    assert.throws(
      () => ExactIndex.load(file),
      /Error in ExactIndex.load: path must name a metriclab-exact-index v1 file/,
    );
  });
  it('IVF-flat on 10,000 x 32 overlapping clusters: recall@10 grows with nprobe, >= 0.8 at nprobe 8, exact at nlist', function () {
    this.timeout(120000);
    // 200 centres with spread 1 (as wide as the centres' own spread) overlap, so a query's
    // neighbours straddle list boundaries: probing few lists must lose some (measured 0.53 at
    // nprobe 1, 0.86 at 8, 0.96 at 16). Queries share the centres, not the points.
    const x = clusters(10000, 32, 200, 1, 1, 2);
    const q = clusters(200, 32, 200, 1, 1, 3);
    const exact = new ExactIndex(32);
    exact.add(x);
    const ivf = new IvfIndex(32, { nlist: 64, nprobe: 8, seed: 3 });
    ivf.train(x);
    ivf.add(x);
    const recall = [1, 4, 8, 16].map((nprobe) => {
      ivf.nprobe = nprobe;
      const e = evaluateIndex(ivf, exact, q);
      console.log(
        `      nprobe ${nprobe}: recall@10 ${e.recallAt10.toFixed(3)}, ${e.queriesPerSecond.toFixed(0)} q/s vs exact ${e.exactQueriesPerSecond.toFixed(0)} q/s`,
      );
      return e.recallAt10;
    });
    assert.ok(
      recall[0] < 0.7,
      `nprobe 1 must miss neighbours on this data (recall ${recall[0]}); the test data is too easy`,
    );
    for (let i = 1; i < recall.length; i++)
      assert.ok(recall[i] > recall[i - 1], `recall by nprobe 1/4/8/16: ${recall}`);
    assert.ok(recall[2] >= 0.8, `nprobe 8 recall ${recall[2]}`);
    assert.ok(recall[3] >= 0.92, `nprobe 16 recall ${recall[3]}`);
    ivf.nprobe = 64;
    assert.ok(evaluateIndex(ivf, exact, q).recallAt10 > 0.999, 'probing every list must be exact');
  });
  it('PCA and int8 report their recall cost', () => {
    const x = clusters(3000, 32, 20, 0.5, 4);
    const q = clusters(100, 32, 20, 0.5, 4, 5); // same centres, fresh points
    const exact = new ExactIndex(32);
    exact.add(x);
    const truth = exact.search(q, 10);
    const sq = ScalarQuantizer.fit(x);
    const approx = new ExactIndex(32);
    approx.add(sq.decode(sq.encode(x)));
    const int8 = recallAtK(approx.search(q, 10).ids, truth.ids, 100, 10);
    const pca = Pca.fit(x, 8);
    const small = new ExactIndex(8);
    small.add(pca.transform(x));
    const pcaRecall = recallAtK(small.search(pca.transform(q), 10).ids, truth.ids, 100, 10);
    console.log(
      `      int8: 4x smaller, recall@10 ${int8.toFixed(3)}; PCA 32->8: 4x smaller, recall@10 ${pcaRecall.toFixed(3)}, variance kept ${pca.explainedVarianceRatio.toFixed(3)}`,
    );
    assert.ok(int8 > 0.9, `int8 recall ${int8}`);
    assert.ok(pcaRecall > 0.2 && pcaRecall < int8, `pca recall ${pcaRecall}`);
    assert.ok(pca.explainedVarianceRatio > 0.5 && pca.explainedVarianceRatio < 1);
  });
});
