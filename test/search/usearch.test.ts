/**
 * The optional native index (usearch) behind VectorIndex: recall against ExactIndex, remove,
 * save/load, and hnswIndex's fallback to the JavaScript HnswIndex. Skips (saying why) where the
 * optional package is not installed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ready } from '../../lib/backend';
import { Random } from '../../lib/random';
import { evaluateIndex } from '../../lib/search/evaluate';
import { ExactIndex } from '../../lib/search/exact-index';
import { HnswIndex } from '../../lib/search/hnsw';
import type { Matrix } from '../../lib/linalg/matrix';
import { hnswIndex, nativeAnnBackend, UsearchIndex } from '../../lib/search/usearch-index';

function gaussian(n: number, dims: number, seed: number): Matrix {
  const rng = new Random(seed);
  return { data: Float32Array.from({ length: n * dims }, () => rng.normal()), rows: n, dims };
}

describe('search: native HNSW (usearch, optional)', function () {
  const x = gaussian(2000, 16, 1);
  const q = gaussian(100, 16, 2);
  const ids = Array.from({ length: 2000 }, (_, i) => 7 * i + 3);

  before(async function () {
    await ready();
    if (!nativeAnnBackend()) {
      console.log('    skipped: the optional package usearch is not installed (npm install usearch)');
      this.skip();
    }
  });

  it('recalls at least 0.95 of the exact 10 nearest, with the same ids and distances scale', function () {
    const index = new UsearchIndex(16, { M: 16, efConstruction: 64, efSearch: 64 });
    index.add(x, ids);
    assert.strictEqual(index.size, 2000);
    const exact = new ExactIndex(16);
    exact.add(x, ids);
    const e = evaluateIndex(index, exact, q);
    assert.ok(e.recallAt10 >= 0.95, `recall@10 ${e.recallAt10}`);
    const got = index.search(q, 1);
    const want = exact.search(q, 1);
    let same = 0;
    for (let i = 0; i < q.rows; i++) {
      if (got.ids[i] !== want.ids[i]) continue;
      same++;
      assert.ok(Math.abs(got.distances[i] - want.distances[i]) < 1e-3 * (1 + want.distances[i]), 'distance scale');
    }
    assert.ok(same >= 95, `${same} of 100 nearest agree`);
  });

  it('remove, save and load: removed ids never return, the loaded index answers the same', function () {
    const index = new UsearchIndex(16, { M: 16, efConstruction: 64, efSearch: 64 });
    index.add(x, ids);
    const dropped = ids.filter((_, i) => i % 4 === 0);
    assert.strictEqual(index.remove([...dropped, 1]), dropped.length);
    assert.strictEqual(index.size, 2000 - dropped.length);
    const gone = new Set(dropped);
    const got = index.search(q, 10);
    assert.ok(Array.from(got.ids).every((id) => !gone.has(id)));
    const file = path.join(os.tmpdir(), `metriclab-usearch-${process.pid}.usearch`);
    index.save(file);
    const loaded = UsearchIndex.load(file);
    fs.rmSync(file);
    fs.rmSync(`${file}.json`);
    assert.strictEqual(loaded.size, index.size);
    assert.deepStrictEqual(Array.from(loaded.search(q, 10).ids), Array.from(got.ids));
    assert.throws(
      () => UsearchIndex.load(file),
      /Error in UsearchIndex.load: path must name a metriclab-usearch-index/,
    );
    assert.throws(() => index.add([Array.from({ length: 16 }, () => 0)], [10]), /ids must be unique/);
  });

  it('hnswIndex picks the native index, or the JavaScript one when asked', function () {
    assert.ok(hnswIndex(16, { seed: 1 }) instanceof UsearchIndex);
    assert.ok(hnswIndex(16, { seed: 1, native: false }) instanceof HnswIndex);
  });
});
