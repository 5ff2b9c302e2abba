/**
 * The 4-bit and product quantizers and the flat index over their codes: exact code sizes, round
 * trips on data they can represent exactly, asymmetric distances against a plain loop over the
 * decoded vectors, add/remove without retraining, and the PCA front.
 */
import * as assert from 'assert';
import { Random } from '../../lib/random';
import { ExactIndex } from '../../lib/search/exact-index';
import { Int4Quantizer } from '../../lib/search/int4-quantizer';
import type { Matrix } from '../../lib/linalg/matrix';
import { Pca } from '../../lib/linalg/pca';
import { ProductQuantizer } from '../../lib/search/product-quantizer';
import { ProjectedIndex } from '../../lib/search/projected-index';
import { ScalarQuantizer } from '../../lib/search/quantize';
import { QuantizedIndex, int4Codec, int8Codec, pqCodec, type VectorCodec } from '../../lib/search/quantized-index';

function gaussian(n: number, dims: number, seed: number): Matrix {
  const rng = new Random(seed);
  return { data: Float32Array.from({ length: n * dims }, () => rng.normal()), rows: n, dims };
}

/** Plain-loop k-NN of each query among `stored` (squared L2, ties by row): the reference. */
function bruteForce(stored: Matrix, queries: Matrix, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < queries.rows; i++) {
    const d: [number, number][] = [];
    for (let r = 0; r < stored.rows; r++) {
      let s = 0;
      for (let c = 0; c < stored.dims; c++)
        s += (queries.data[i * queries.dims + c] - stored.data[r * stored.dims + c]) ** 2;
      d.push([s, r]);
    }
    d.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.push(d.slice(0, k).map(([, r]) => r));
  }
  return out;
}

describe('search: 4-bit scalar quantizer', function () {
  it('packs two dimensions per byte (odd D rounds up) and decodes within half a level', function () {
    const x = gaussian(200, 7, 1);
    const q = Int4Quantizer.fit(x);
    const codes = q.encode(x);
    assert.strictEqual(q.bytesPerVector, 4);
    assert.strictEqual(codes.length, 200 * 4);
    const back = q.decode(codes);
    for (let i = 0; i < x.data.length; i++) {
      const d = i % 7;
      assert.ok(
        Math.abs(back.data[i] - x.data[i]) <= q.scale[d] / 2 + 1e-6,
        `value ${i} off by more than half a level`,
      );
    }
  });

  it('reproduces the 16 levels exactly and maps a constant dimension to code 0', function () {
    const rows = Array.from({ length: 16 }, (_, c) => [c / 15, 3]);
    const q = Int4Quantizer.fit(rows);
    const codes = q.encode(rows);
    rows.forEach((_, c) => assert.strictEqual(codes[c], c, `level ${c}`));
    assert.deepStrictEqual(Array.from(q.decode(codes).data.filter((_, i) => i % 2 === 1)), new Array(16).fill(3));
  });

  it('names the function and argument on bad input', function () {
    const q = Int4Quantizer.fit([[0, 1, 2]]);
    assert.throws(() => q.encode([[0, 1]]), /Error in Int4Quantizer.encode: vectors must have 3 columns, but got 2/);
    assert.throws(
      () => q.decode(new Uint8Array(3)),
      /Error in Int4Quantizer.decode: codes must have a multiple of 2 bytes/,
    );
  });
});

describe('search: product quantizer', function () {
  it('stores m bytes per vector and reconstructs data with at most 256 distinct sub-vectors exactly', function () {
    const base = gaussian(256, 8, 2);
    const rows: number[][] = [];
    for (let i = 0; i < 600; i++) rows.push(Array.from(base.data.subarray((i % 256) * 8, (i % 256) * 8 + 8)));
    const pq = ProductQuantizer.fit(rows, { m: 4, seed: 1 });
    const codes = pq.encode(rows);
    assert.strictEqual(pq.bytesPerVector, 4);
    assert.strictEqual(codes.length, 600 * 4);
    assert.strictEqual(pq.codebookBytes, 256 * 8 * 4);
    const back = pq.decode(codes);
    rows.flat().forEach((v, i) => assert.ok(Math.abs(back.data[i] - v) < 1e-5, `value ${i}: ${back.data[i]} vs ${v}`));
  });

  it('asymmetric distance = squared distance from the query to the decoded vector', function () {
    const x = gaussian(400, 12, 3);
    const pq = ProductQuantizer.fit(x, { m: 3, seed: 1, iterations: 5 });
    const codes = pq.encode(x);
    const decoded = pq.decode(codes);
    const query = gaussian(1, 12, 4).data;
    const table = pq.distanceTable(query);
    for (const row of [0, 17, 399]) {
      let ref = 0;
      for (let d = 0; d < 12; d++) ref += (query[d] - decoded.data[row * 12 + d]) ** 2;
      assert.ok(Math.abs(pq.asymmetricDistance(table, codes, row) - ref) < 1e-4 * Math.max(1, ref), `row ${row}`);
    }
  });

  it('is deterministic for a seed', function () {
    const x = gaussian(300, 8, 5);
    const a = ProductQuantizer.fit(x, { m: 2, seed: 7, iterations: 5 }).encode(x);
    const b = ProductQuantizer.fit(x, { m: 2, seed: 7, iterations: 5 }).encode(x);
    assert.deepStrictEqual(a, b);
  });

  it('rejects an m that does not divide D and too few rows, naming them', function () {
    assert.throws(
      () => ProductQuantizer.fit(gaussian(300, 10, 1), { m: 3, seed: 1 }),
      /Error in ProductQuantizer.fit: m must divide the dimension \(10\), but got 3/,
    );
    assert.throws(
      () => ProductQuantizer.fit(gaussian(100, 8, 1), { m: 2, seed: 1 }),
      /vectors must have at least 256 rows/,
    );
  });
});

describe('search: QuantizedIndex (asymmetric distance over codes)', function () {
  const x = gaussian(500, 16, 6);
  const queries = gaussian(20, 16, 7);
  const ids = Array.from({ length: 500 }, (_, i) => 3 * i + 1);
  const codecs: [string, () => { codec: VectorCodec; decode: (c: Uint8Array) => Matrix }][] = [
    [
      'int8',
      () => {
        const q = ScalarQuantizer.fit(x);
        return { codec: int8Codec(q), decode: (c) => q.decode(c) };
      },
    ],
    [
      '4-bit',
      () => {
        const q = Int4Quantizer.fit(x);
        return { codec: int4Codec(q), decode: (c) => q.decode(c) };
      },
    ],
    [
      'PQ m=4',
      () => {
        const q = ProductQuantizer.fit(x, { m: 4, seed: 1, iterations: 8 });
        return { codec: pqCodec(q), decode: (c) => q.decode(c) };
      },
    ],
  ];
  for (const [name, make] of codecs) {
    it(`${name}: ranks exactly like brute force over the decoded vectors, with exact byte counts`, function () {
      const { codec, decode } = make();
      const index = new QuantizedIndex(codec);
      index.add(x, ids);
      const want = bruteForce(decode(codec.encode(x)), queries, 5);
      const got = index.search(queries, 5);
      for (let i = 0; i < queries.rows; i++) {
        // Compare as sets: float32 tables and float64 loops may swap near-ties.
        const overlap = want[i].filter((r) => Array.from(got.ids.subarray(i * 5, i * 5 + 5)).includes(ids[r])).length;
        assert.ok(overlap >= 4, `${name} query ${i}: ${overlap}/5 of the reference`);
      }
      const expectedBytes = { int8: 16, '4-bit': 8, 'PQ m=4': 4 }[name] as number;
      assert.strictEqual(codec.bytesPerVector, expectedBytes);
      assert.strictEqual(index.memoryBytes(), 500 * (expectedBytes + 4) + codec.parameterBytes);
    });
  }

  it('removes and adds without retraining: removed ids never come back, size and bytes follow', function () {
    const q = Int4Quantizer.fit(x);
    const index = new QuantizedIndex(int4Codec(q));
    index.add(x, ids);
    const before = index.memoryBytes();
    const gone = ids.slice(0, 250);
    assert.strictEqual(index.remove([...gone, 999999]), 250);
    assert.strictEqual(index.size, 250);
    assert.strictEqual(index.memoryBytes(), before - 250 * (8 + 4));
    const r = index.search(x, 10);
    assert.ok(!Array.from(r.ids).some((id) => gone.includes(id)), 'a removed id was returned');
    index.add({ data: x.data.subarray(0, 16), rows: 1, dims: 16 }, [5000]);
    assert.strictEqual(index.search({ data: x.data.subarray(0, 16), rows: 1, dims: 16 }, 1).ids[0], 5000);
    assert.throws(() => index.add({ data: x.data.subarray(0, 16), rows: 1, dims: 16 }, [5000]), /ids must be unique/);
  });

  it('pads with -1 when k exceeds the size', function () {
    const index = new QuantizedIndex(int8Codec(ScalarQuantizer.fit(x)));
    index.add({ data: x.data.subarray(0, 32), rows: 2, dims: 16 });
    const r = index.search(queries, 3);
    assert.deepStrictEqual(Array.from(r.ids.subarray(0, 3)).sort(), [-1, 0, 1]);
  });
});

describe('search: ProjectedIndex (PCA in front of an index)', function () {
  it('finds the same neighbours as the full index when the data lies in the kept subspace', function () {
    // 3-D data embedded in 10 dimensions: PCA to 3 loses nothing.
    const rng = new Random(8);
    const basis = Array.from({ length: 3 }, () => Array.from({ length: 10 }, () => rng.normal()));
    const rows = (n: number) =>
      Array.from({ length: n }, () => {
        const c = [rng.normal(), rng.normal(), rng.normal()];
        return Array.from({ length: 10 }, (_, d) => c[0] * basis[0][d] + c[1] * basis[1][d] + c[2] * basis[2][d]);
      });
    const stored = rows(300);
    const queries = rows(10);
    const full = new ExactIndex(10);
    full.add(stored);
    const pca = Pca.fit(stored, 3);
    const projected = new ProjectedIndex(pca, new ExactIndex(3));
    projected.add(stored);
    assert.deepStrictEqual(projected.search(queries, 5).ids, full.search(queries, 5).ids);
    assert.strictEqual(projected.dims, 10);
    assert.strictEqual(projected.memoryBytes() > 0, true);
    assert.strictEqual(projected.remove([0, 1]), 2);
    assert.strictEqual(projected.size, 298);
    assert.throws(() => new ProjectedIndex(pca, new ExactIndex(4)), /inner must have 3 dims/);
  });
});
