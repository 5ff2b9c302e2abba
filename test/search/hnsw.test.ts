/**
 * HnswIndex against ExactIndex: exact when ef covers the whole set, approximate (and improving
 * with efSearch) when it does not, seeded-deterministic, and strict about its arguments.
 */
import * as assert from 'assert';
import { ready } from '../../lib/backend';
import { Random } from '../../lib/random';
import { evaluateIndex } from '../../lib/search/evaluate';
import { ExactIndex } from '../../lib/search/exact-index';
import { HnswIndex } from '../../lib/search/hnsw';
import type { Matrix } from '../../lib/linalg/matrix';
import { expectClose } from '../helpers/backends';

function gaussian(n: number, dims: number, seed: number): Matrix {
  const rng = new Random(seed);
  return { data: Float32Array.from({ length: n * dims }, () => rng.normal()), rows: n, dims };
}

describe('search: HNSW', () => {
  before(async () => {
    // ExactIndex (the reference) scores with tfjs.
    await ready();
  });

  it('returns the exact neighbours and distances when efSearch covers the whole set (built in two batches)', () => {
    const x = gaussian(400, 8, 1);
    const q = gaussian(50, 8, 2);
    // Ids that are not row numbers, added in two calls.
    const ids = Array.from({ length: 400 }, (_, i) => 1000 + 3 * i);
    const hnsw = new HnswIndex(8, { M: 4, efConstruction: 20, efSearch: 400, seed: 7 });
    hnsw.add({ data: x.data.slice(0, 250 * 8), rows: 250, dims: 8 }, ids.slice(0, 250));
    hnsw.add({ data: x.data.slice(250 * 8), rows: 150, dims: 8 }, ids.slice(250));
    assert.strictEqual(hnsw.size, 400);
    // In this sparse graph (M 4) trimming alone left row 302 unreachable, which query 48 needs;
    // HnswIndex re-links such vectors after each add.
    const got = hnsw.search(q, 10);
    // Plain-loop reference in float64 (ExactIndex scores in float32, which can swap near-ties).
    for (let i = 0; i < q.rows; i++) {
      const d = Array.from({ length: x.rows }, (_, j) => {
        let s = 0;
        for (let t = 0; t < 8; t++) s += (q.data[i * 8 + t] - x.data[j * 8 + t]) ** 2;
        return [Math.sqrt(s), j];
      }).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const want = d.slice(0, 10);
      assert.deepStrictEqual(
        Array.from(got.ids.subarray(i * 10, (i + 1) * 10)),
        want.map(([, j]) => ids[j]),
        `query ${i}`,
      );
      expectClose(
        got.distances.subarray(i * 10, (i + 1) * 10),
        want.map(([dist]) => dist),
        1e-5,
        1e-5,
        `distances ${i}`,
      );
    }
  });

  it('is approximate with a small efSearch on 3,000 x 16 gaussian vectors, and recall grows with efSearch', function () {
    this.timeout(60000);
    // Isotropic gaussians in 16-d have no cluster structure to follow: the hard case for a graph.
    const x = gaussian(3000, 16, 3);
    const q = gaussian(200, 16, 4);
    const exact = new ExactIndex(16);
    exact.add(x);
    const hnsw = new HnswIndex(16, { M: 6, efConstruction: 32, seed: 1 });
    hnsw.add(x);
    const recall = [10, 40, 160].map((ef) => {
      hnsw.efSearch = ef;
      return evaluateIndex(hnsw, exact, q).recallAt10;
    });
    console.log(`      recall@10 at efSearch 10/40/160: ${recall.map((r) => r.toFixed(3)).join(' / ')}`);
    assert.ok(recall[0] < 0.95, `efSearch 10 should miss some neighbours here, got ${recall[0]}`);
    assert.ok(recall[0] < recall[1] && recall[1] < recall[2], `recall by efSearch: ${recall}`);
    assert.ok(recall[2] >= 0.97, `efSearch 160 recall ${recall[2]}`);
  });

  it('the same seed builds the same graph; results pad with -1 beyond the index size', () => {
    const x = gaussian(300, 4, 5);
    const q = gaussian(20, 4, 6);
    const build = (): HnswIndex => {
      const h = new HnswIndex(4, { M: 3, efConstruction: 8, efSearch: 3, seed: 11 });
      h.add(x);
      return h;
    };
    assert.deepStrictEqual(build().search(q, 3), build().search(q, 3));
    const small = new HnswIndex(2, { seed: 0 });
    assert.deepStrictEqual(Array.from(small.search([[0, 0]], 2).ids), [-1, -1]);
    small.add([
      [0, 0],
      [3, 4],
    ]);
    const r = small.search([[0, 0]], 3);
    assert.deepStrictEqual(Array.from(r.ids), [0, 1, -1]);
    assert.deepStrictEqual(Array.from(r.distances), [0, 5, Infinity]);
  });

  it('names bad arguments', () => {
    assert.throws(() => new HnswIndex(4, { M: 1, seed: 0 }), /Error in HnswIndex: M must be >= 2, but got 1/);
    assert.throws(
      () => new HnswIndex(4, { efConstruction: 0, seed: 0 }),
      /Error in HnswIndex: efConstruction must be >= 1, but got 0/,
    );
    const h = new HnswIndex(2, { seed: 0 });
    assert.throws(() => h.add([[1, 2, 3]]), /Error in HnswIndex.add: vectors must have 2 columns, but got 3/);
    assert.throws(
      () => h.add([[1, 2]], [1, 2]),
      /Error in HnswIndex.add: ids must have one entry per vector \(1\), but got 2/,
    );
    assert.throws(
      () => h.add([[1, 2]], [-1]),
      /Error in HnswIndex.add: ids must be non-negative int32 integers, but got -1/,
    );
    assert.throws(() => h.search([[1]], 1), /Error in HnswIndex.search: queries must have 2 columns, but got 1/);
    h.efSearch = 0;
    assert.throws(() => h.search([[1, 2]], 1), /Error in HnswIndex.search: efSearch must be >= 1, but got 0/);
  });
});
