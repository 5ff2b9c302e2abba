import * as assert from 'assert';
import * as fs from 'fs';
import * as tf from '../../lib/tf';
import { retrievalMetrics } from '../../lib/eval/retrieval';
import { knn } from '../../lib/search/exact';
import { useBackend } from '../../lib/backend';
import { runRetrievalCase } from '../../lib/parity/retrieval';
import type { ParityFile } from '../../lib/parity/types';
import { Random } from '../../lib/random';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';

/** Plain-loop reference: sorted neighbour indices by float64 distance, ties by index. */
function bruteNeighbours(x: number[][], q: number): number[] {
  const d = x.map((r, j) => [r.reduce((s, v, t) => s + (v - x[q][t]) ** 2, 0), j]);
  return d
    .filter(([, j]) => j !== q)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, j]) => j);
}

function gaussian(n: number, dims: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => Array.from({ length: dims }, () => rng.normal()));
}

describeAllBackends('exact k-NN', () => {
  it('returns neighbours on a line with ties broken by index', () => {
    // 0 and 2 are both at distance 1 from 1: the smaller index comes first.
    const r = knn([[0], [1], [2], [10]], { k: 2 });
    assert.deepStrictEqual(Array.from(r.indices), [1, 2, 0, 2, 1, 0, 2, 1]);
    expectClose(r.distances, [1, 2, 1, 1, 1, 2, 8, 9]);
  });
  it('chunked equals unchunked and matches a plain-loop reference', () => {
    const x = gaussian(200, 8, 3);
    const one = expectNoLeak(() => knn(x, { k: 5 }));
    const many = expectNoLeak(() => knn(x, { k: 5, chunkBytes: 4 * 200 * 7 }));
    assert.strictEqual(many.chunks, Math.ceil(200 / 7));
    assert.deepStrictEqual(Array.from(many.indices), Array.from(one.indices));
    for (let q = 0; q < 200; q += 17)
      assert.deepStrictEqual(Array.from(one.indices.subarray(q * 5, q * 5 + 5)), bruteNeighbours(x, q).slice(0, 5));
  });
  it('ranks cosine and dot at known angles', () => {
    const at = (deg: number, r = 1) => [r * Math.cos((deg * Math.PI) / 180), r * Math.sin((deg * Math.PI) / 180)];
    const ref = [at(90), at(10, 5), at(45, 0.1)];
    const cos = knn([at(0)], { k: 3, reference: ref, distance: 'cosine' });
    assert.deepStrictEqual(Array.from(cos.indices), [1, 2, 0]);
    expectClose(cos.distances, [1 - Math.cos(Math.PI / 18), 1 - Math.SQRT1_2, 1], 1e-6);
    const dot = knn([at(0)], { k: 3, reference: ref, distance: 'dot' });
    assert.deepStrictEqual(Array.from(dot.indices), [1, 2, 0]);
  });
  it('rejects bad input with a named argument', () => {
    assert.throws(() => knn([[0], [1]], { k: 2 }), /Error in knn: k must be >= 1 and <= 1, but got 2/);
    assert.throws(
      () => knn([[0, 1]], { k: 1, reference: [[0]] }),
      /Error in knn: reference must have the queries' dimension \(2\), but got 1/,
    );
  });
});

describeAllBackends('retrievalMetrics', () => {
  it('computes every metric on a hand-made line', () => {
    // Self-retrieval on a line. Labels a a b a b at 0,1,2,3,10.
    // q0: order 1(a),2(b),3(a),4(b); R=2 -> P@1 1, RP 1/2, AP@R (1)/2 = .5, MAP(k=2) same, RR 1
    // q1: order 0|2 tie -> 0(a),2(b),3(a); R=2 -> P@1 1, RP 1/2, AP@R .5, RR 1
    // q2 (b): order 1(a),3(a),0(a),4(b); R=1 -> P@1 0, RP 0, AP 0, RR within k=2: 0
    // q3 (a): order 2(b),1(a),0(a); R=2 -> P@1 0, RP 1/2, AP@R (1/2)/2=.25, RR 1/2
    // q4 (b): order 3(a),2(b); R=1 -> P@1 0, RP 0, AP@R 0, RR 1/2
    // mAP sums over k = max R = 2 but divides by R: q4 gets P@2/1 = 1/2, the others as AP@R.
    const m = expectNoLeak(() =>
      retrievalMetrics({
        queries: [[0], [1], [2], [3], [10]],
        queryLabels: [0, 0, 1, 0, 1],
        recallAtK: [1, 2],
        precisionAtK: [2],
      }),
    );
    expectClose(
      [m.precisionAt1, m.rPrecision, m.mapAtR, m.map, m.meanReciprocalRank],
      [2 / 5, 1.5 / 5, 1.25 / 5, 1.75 / 5, 3 / 5],
    );
    expectClose([m.recallAtK[1], m.recallAtK[2], m.precisionAtK[2]], [2 / 5, 4 / 5, (0.5 + 0.5 + 0 + 0.5 + 0.5) / 5]);
    assert.strictEqual(m.k, 2);
    const perClass = retrievalMetrics({
      queries: [[0], [1], [2], [3], [10]],
      queryLabels: [0, 0, 1, 0, 1],
      averaging: 'classes',
    });
    expectClose([perClass.precisionAt1], [(2 / 3 + 0) / 2]);
  });
  it('skips and counts queries whose label has no reference', () => {
    const m = retrievalMetrics({
      queries: [[0], [1], [5]],
      queryLabels: [0, 1, 2],
      reference: [[0.2], [4]],
      referenceLabels: [0, 2],
    });
    assert.strictEqual(m.skippedQueries, 1);
    assert.strictEqual(m.queries, 2);
    expectClose([m.precisionAt1], [1]);
  });
  it('checks label lengths', () => {
    assert.throws(
      () => retrievalMetrics({ queries: [[0], [1]], queryLabels: [0] }),
      /Error in retrievalMetrics: queryLabels must have one entry per embedding \(2\), but got 1/,
    );
  });
  it('accepts a tensor and leaks nothing', () => {
    const x = tf.tensor2d(gaussian(50, 4, 1));
    const m = expectNoLeak(() =>
      retrievalMetrics({ queries: x, queryLabels: Array.from({ length: 50 }, (_, i) => i % 3) }),
    );
    x.dispose();
    assert.ok(m.precisionAt1 >= 0 && m.precisionAt1 <= 1);
  });
  it('passes the fixture retrieval cases (float64 and float32)', () => {
    const file = JSON.parse(fs.readFileSync('test/fixtures/parity.json', 'utf8')) as ParityFile;
    const cases = file.cases.filter((c) => c.kind === 'retrieval');
    assert.strictEqual(cases.length, 8);
    for (const c of cases) {
      const out = runRetrievalCase(c);
      assert.ok(out.passed, `${c.name} seed ${c.seed}: ${out.detail}`);
    }
    // float32 ranks agree on the first case (gaps there are >= 8e-6).
    const c = cases[0];
    const m = retrievalMetrics({ queries: c.queries as number[][], queryLabels: c.query_labels as number[] });
    expectClose([m.mapAtR], [c.expected.mean_average_precision_at_r as number], 1e-6, 0);
  });
});

describe('retrievalMetrics on worker threads', function () {
  // A worker loads tfjs (and, here, tsx) before it scores: seconds on a loaded 2-core machine.
  this.timeout(120000);
  before(async () => useBackend('wasm'));
  const x = gaussian(600, 8, 5);
  const labels = Array.from({ length: 600 }, (_, i) => i % 7);

  it('two workers and the caller give exactly the single-thread metrics (self and with reference)', () => {
    const one = retrievalMetrics({ queries: x, queryLabels: labels, workers: 0 });
    // Small chunks so that every thread gets several.
    const three = retrievalMetrics({ queries: x, queryLabels: labels, workers: 2, chunkBytes: 4 * 600 * 16 });
    assert.deepStrictEqual(three, one);
    const q = x.slice(0, 100);
    const opts = { queries: q, queryLabels: labels.slice(0, 100), reference: x, referenceLabels: labels };
    assert.deepStrictEqual(
      retrievalMetrics({ ...opts, workers: 1, chunkBytes: 4 * 600 * 9, distance: 'cosine' }),
      retrievalMetrics({ ...opts, workers: 0, distance: 'cosine' }),
    );
  });

  it('a bad option fails in the caller with a named argument, and the workers are stopped', () => {
    assert.throws(
      () => retrievalMetrics({ queries: x, queryLabels: labels, workers: 1, precision: 'half' as 'float32' }),
      /Error in retrievalMetrics: precision must be one of/,
    );
    assert.throws(
      () => retrievalMetrics({ queries: x, queryLabels: labels, workers: -1 }),
      /Error in retrievalMetrics: workers must be/,
    );
  });
});
