/**
 * The search benchmark helper: recall of exact search against itself is 1, byte counts equal the
 * saved file or the counted arrays, percentiles follow the nearest-rank rule, and MAP@R from an
 * index's neighbour lists equals retrievalMetrics on the same data. No timing is asserted.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { retrievalMetrics } from '../../lib/eval/retrieval';
import { Random } from '../../lib/random';
import { ExactIndex } from '../../lib/search/exact-index';
import { HnswIndex } from '../../lib/search/hnsw';
import { indexBytes } from '../../lib/search/index-bytes';
import type { Matrix } from '../../lib/linalg/matrix';
import { ProductQuantizer } from '../../lib/search/product-quantizer';
import { QuantizedIndex, pqCodec } from '../../lib/search/quantized-index';
import { benchmarkSearch, mapAtRFromNeighbours, percentile } from '../../lib/search/search-benchmark';

function gaussian(n: number, dims: number, seed: number): Matrix {
  const rng = new Random(seed);
  return { data: Float32Array.from({ length: n * dims }, () => rng.normal()), rows: n, dims };
}

describe('search: benchmarkSearch and byte counts', function () {
  const x = gaussian(1000, 16, 1);
  const queries = gaussian(40, 16, 2);
  const exact = new ExactIndex(16);
  exact.add(x);
  const truth = exact.search(queries, 10);

  it('exact search against itself: recall 1, bytes = the saved file, ordered percentiles', function () {
    const row = benchmarkSearch({ build: () => exact, queries, truth });
    assert.strictEqual(row.recall, 1);
    assert.deepStrictEqual(row.result.ids, truth.ids);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'e.idx');
    exact.save(file);
    assert.strictEqual(row.bytes, fs.statSync(file).size);
    // the header line plus one int32 id and 16 float32 per vector
    assert.ok(row.bytes - 1000 * (4 + 64) > 0 && row.bytes - 1000 * (4 + 64) < 200, `${row.bytes} bytes`);
    assert.ok(row.latencyMs.p50 <= row.latencyMs.p99 && row.latencyMs.p99 <= row.latencyMs.max);
    assert.ok(row.queriesPerSecond > 0 && row.buildSeconds >= 0);
  });

  it('HNSW: recall within [0, 1] from the truth given, bytes from its saved file (graph + vectors)', function () {
    const row = benchmarkSearch({
      build: () => {
        const h = new HnswIndex(16, { M: 8, efConstruction: 40, efSearch: 40, seed: 1 });
        h.add(x);
        return h;
      },
      queries,
      truth,
    });
    assert.ok(row.recall > 0.8 && row.recall <= 1, `recall ${row.recall}`);
    assert.ok(row.bytesPerVector > 4 + 64, 'the graph costs bytes on top of the vectors');
    assert.strictEqual(row.bytes, indexBytes(row.index));
  });

  it('PQ: exactly m + 4 bytes per vector plus the codebooks', function () {
    const pq = ProductQuantizer.fit(x, { m: 4, seed: 1, iterations: 5 });
    const row = benchmarkSearch({
      build: () => {
        const q = new QuantizedIndex(pqCodec(pq));
        q.add(x);
        return q;
      },
      queries,
      truth,
      k: 5,
    });
    assert.strictEqual(row.bytes, 1000 * (4 + 4) + 256 * 16 * 4);
    assert.ok(row.recall >= 0 && row.recall < 1, `recall ${row.recall}`);
    assert.strictEqual(row.k, 5);
  });

  it('rejects truth with fewer neighbours than k', function () {
    assert.throws(
      () => benchmarkSearch({ build: () => exact, queries, truth, k: 20 }),
      /Error in benchmarkSearch: truth must hold at least k \(20\)/,
    );
  });

  it('percentile: nearest rank', function () {
    assert.strictEqual(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.strictEqual(percentile([5, 1, 3, 2, 4], 99), 5);
    assert.strictEqual(percentile([5, 1, 3, 2, 4], 0), 1);
    assert.strictEqual(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
      99,
    );
    assert.throws(() => percentile([], 50), /values must be non-empty/);
  });

  it('MAP@R from neighbour lists equals retrievalMetrics on the same gallery', function () {
    const rng = new Random(3);
    const labels = Int32Array.from({ length: 1000 }, () => rng.int(5));
    const qLabels = Int32Array.from({ length: 40 }, () => rng.int(5));
    // Make the labels matter: shift each vector by its class.
    const shift = (m: Matrix, y: Int32Array): Matrix => ({
      ...m,
      data: m.data.map((v, i) => v + (i % m.dims === y[Math.floor(i / m.dims)] ? 3 : 0)),
    });
    const g = shift(x, labels);
    const q = shift(queries, qLabels);
    const index = new ExactIndex(16);
    index.add(g);
    const maxR = Math.max(...[0, 1, 2, 3, 4].map((c) => labels.filter((l) => l === c).length));
    const r = index.search(q, maxR);
    const byId = new Map(Array.from(labels, (l, i) => [i, l] as [number, number]));
    const ours = mapAtRFromNeighbours(r, qLabels, byId);
    const ref = retrievalMetrics({ queries: q, queryLabels: qLabels, reference: g, referenceLabels: labels }).mapAtR;
    assert.ok(Math.abs(ours - ref) < 1e-9, `${ours} vs ${ref}`);
    assert.ok(ours > 0.3, 'labels carry signal');
  });
});
