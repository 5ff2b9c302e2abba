/**
 * Native ANN (usearch, behind UsearchIndex) and the JavaScript HnswIndex against faiss HNSW, in
 * the same run on the same data: recall@10 and queries/s swept over efSearch, then each of ours
 * compared with faiss at equal recall (our fastest setting whose recall reaches faiss's).
 * Usage: node --import tsx bench/search/ann.ts [N] [--quick]   (default N 70000; --quick: N 10000, no JS HNSW)
 * Data: the seeded gaussian clusters of bench/eval (64 dims, 100 classes); the first 1000 rows are the queries.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Random } from '../../lib/random';
import { ExactIndex, type VectorIndex } from '../../lib/search/exact-index';
import { HnswIndex } from '../../lib/search/hnsw';
import { UsearchIndex, nativeAnnBackend } from '../../lib/search/usearch-index';

const DIMS = 64;
const QUERIES = 1000;
const M = 16;
const EF_CONSTRUCTION = 40;
const EF_SEARCH = [16, 24, 32, 48, 64, 96, 128, 192, 256];

interface Point {
  ef: number;
  recall10: number;
  qps: number;
}

function clusters(n: number, seed: number): Float32Array {
  const rng = new Random(seed);
  const classes = 100;
  const centres = Array.from({ length: classes * DIMS }, () => rng.normal());
  const x = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < DIMS; d++) x[i * DIMS + d] = centres[(i % classes) * DIMS + d] + rng.normal(0, 0.6);
  }
  return x;
}

function recallAt10(got: Int32Array, truth: Int32Array): number {
  let hits = 0;
  for (let q = 0; q < QUERIES; q++) {
    const want = new Set(truth.subarray(q * 10, q * 10 + 10));
    for (let t = 0; t < 10; t++) if (want.has(got[q * 10 + t])) hits++;
  }
  return hits / (QUERIES * 10);
}

/** Best of five timed searches (the machine may be disturbed), with the recall of the last. */
function measure(index: VectorIndex, queries: Float32Array, truth: Int32Array, ef: number): Point {
  let best = Infinity;
  let ids: Int32Array = new Int32Array(0);
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    ids = index.search({ data: queries, rows: QUERIES, dims: DIMS }, 10).ids;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { ef, recall10: recallAt10(ids, truth), qps: QUERIES / best };
}

/**
 * Our queries/s at `recall`: read off our recall → q/s curve, linearly between the two settings
 * whose recalls bracket it (a setting at or above it to 3 decimals counts as reaching it); null
 * when no setting reaches it.
 */
function qpsAtRecall(points: Point[], recall: number): { qps: number; how: string } | null {
  const reached = points.filter((p) => p.recall10 >= recall - 0.0005);
  if (reached.length === 0) return null;
  const above = reached.reduce((a, b) => (b.qps > a.qps ? b : a));
  const below = points
    .filter((p) => p.recall10 < recall - 0.0005 && p.qps > above.qps)
    .reduce<Point | null>((a, b) => (a === null || b.recall10 > a.recall10 ? b : a), null);
  if (below === null || above.recall10 - recall < 0.0005) return { qps: above.qps, how: `ef ${above.ef}` };
  const t = (recall - below.recall10) / (above.recall10 - below.recall10);
  return { qps: below.qps + t * (above.qps - below.qps), how: `between ef ${below.ef} and ${above.ef}` };
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? (quick ? 10000 : 70000));
  const x = clusters(n, 1);
  const file = path.join(os.tmpdir(), `metriclab-ann-${n}.bin`);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(Int32Array.from([n, DIMS]).buffer), Buffer.from(x.buffer)]));
  const queries = x.slice(0, QUERIES * DIMS);
  const exact = new ExactIndex(DIMS);
  exact.add({ data: x, rows: n, dims: DIMS });
  const truth = exact.search({ data: queries, rows: QUERIES, dims: DIMS }, 10).ids;

  const curves: Record<string, { build: number; points: Point[] }> = {};
  const native = nativeAnnBackend();
  if (native) {
    const points: Point[] = [];
    let build = 0;
    for (const ef of EF_SEARCH) {
      // usearch fixes expansion_search when the index is made, so each ef is its own build.
      const t0 = performance.now();
      const index = new UsearchIndex(DIMS, { M, efConstruction: EF_CONSTRUCTION, efSearch: ef });
      index.add({ data: x, rows: n, dims: DIMS });
      build = (performance.now() - t0) / 1000;
      points.push(measure(index, queries, truth, ef));
    }
    curves[native] = { build, points };
  } else {
    console.log('usearch: not installed (optional dependency); its rows are skipped');
  }
  if (!quick) {
    const t0 = performance.now();
    const js = new HnswIndex(DIMS, { M, efConstruction: EF_CONSTRUCTION, efSearch: EF_SEARCH[0], seed: 1 });
    js.add({ data: x, rows: n, dims: DIMS });
    const build = (performance.now() - t0) / 1000;
    const points = EF_SEARCH.map((ef) => {
      js.efSearch = ef;
      return measure(js, queries, truth, ef);
    });
    curves['JavaScript HnswIndex'] = { build, points };
  }

  const py = spawnSync(
    '/usr/bin/python3',
    [
      path.join(__dirname, 'reference.py'),
      file,
      String(QUERIES),
      String(M),
      String(EF_CONSTRUCTION),
      EF_SEARCH.join(','),
    ],
    { encoding: 'utf8' },
  );
  fs.rmSync(file, { force: true });
  const ref =
    py.status === 0
      ? (JSON.parse(py.stdout.trim().split('\n').pop() as string) as {
          build_s: number;
          threads: number;
          points: Point[];
        })
      : null;

  console.log(
    `${n} x ${DIMS}, ${QUERIES} queries, k = 10, M ${M}, efConstruction ${EF_CONSTRUCTION}; default threads on every side`,
  );
  console.log('| index | build s | ' + EF_SEARCH.map((ef) => `ef ${ef}: r@10 / q/s`).join(' | ') + ' |');
  const line = (name: string, build: number, points: Point[]) =>
    console.log(
      `| ${name} | ${build.toFixed(1)} | ` +
        points.map((p) => `${p.recall10.toFixed(3)} / ${p.qps.toFixed(0)}`).join(' | ') +
        ' |',
    );
  for (const [name, c] of Object.entries(curves)) line(name, c.build, c.points);
  if (!ref) {
    console.log(`faiss: reference failed: ${py.stderr.trim().split('\n').slice(-2).join(' ')}`);
    return;
  }
  line(`faiss HNSW (${ref.threads} threads)`, ref.build_s, ref.points);
  console.log(
    '\nAt equal recall (for each faiss setting, our q/s at its recall, interpolated along our curve): ours q/s ÷ faiss q/s',
  );
  for (const [name, c] of Object.entries(curves)) {
    const ratios = ref.points.map((f) => {
      const p = qpsAtRecall(c.points, f.recall10);
      return p
        ? `r@10 ${f.recall10.toFixed(3)}: ${(p.qps / f.qps).toFixed(2)}× (${p.how})`
        : `r@10 ${f.recall10.toFixed(3)}: not reached`;
    });
    console.log(`- ${name}: ${ratios.join('; ')}`);
  }
}

main();
