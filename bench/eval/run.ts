/**
 * Retrieval-evaluation and ANN benchmark, ours vs faiss/numpy in the same run.
 * Usage: node --import tsx bench/eval/run.ts [--metrics-only] [sizes...]   (default 10000 70000)
 * --metrics-only skips the ANN columns (and passes the same flag to reference.py).
 * Data: seeded gaussian clusters, 64 dims, 100 classes, written to a .bin both sides read.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ready } from '../../lib/backend';
import { Random } from '../../lib/random';
import { retrievalMetrics } from '../../lib/eval/retrieval';
import { ExactIndex } from '../../lib/search/exact-index';
import { HnswIndex } from '../../lib/search/hnsw';
import { IvfIndex } from '../../lib/search/ivf';
import { evaluateIndex } from '../../lib/search/evaluate';
import { workerCount } from '../../lib/eval/retrieval-threads';

function data(n: number, dims: number, classes: number, seed: number) {
  const rng = new Random(seed);
  const centres = Array.from({ length: classes * dims }, () => rng.normal());
  const x = new Float32Array(n * dims);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let d = 0; d < dims; d++) x[i * dims + d] = centres[y[i] * dims + d] + rng.normal(0, 0.6);
  }
  return { x, y };
}

async function main(): Promise<void> {
  const info = await ready();
  const metricsOnly = process.argv.includes('--metrics-only');
  const sizes = process.argv
    .slice(2)
    .filter((a) => a !== '--metrics-only')
    .map(Number);
  const rows: string[] = [];
  for (const n of sizes.length ? sizes : [10000, 70000]) {
    const dims = 64;
    const { x, y } = data(n, dims, 100, 1);
    const file = path.join(os.tmpdir(), `metriclab-bench-${n}.bin`);
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from(Int32Array.from([n, dims]).buffer), Buffer.from(x.buffer), Buffer.from(y.buffer)]),
    );
    let t0 = performance.now();
    const m = retrievalMetrics({
      queries: { data: x, rows: n, dims },
      queryLabels: y,
      recallAtK: [1],
      precisionAtK: [1],
    });
    const ours = (performance.now() - t0) / 1000;
    const threads = 1 + workerCount(undefined, n * n);
    if (metricsOnly) {
      const py = spawnSync('/usr/bin/python3', [path.join(__dirname, 'reference.py'), file, '0', '--metrics-only'], {
        encoding: 'utf8',
      });
      const ref =
        py.status === 0 ? (JSON.parse(py.stdout.trim().split('\n').pop() as string) as Record<string, number>) : null;
      rows.push(
        `| ${n} | ${ours.toFixed(2)} s (${threads} thread${threads > 1 ? 's' : ''}) | ${ref ? `${ref.metrics_s.toFixed(2)} s (${ref.faiss_threads} thread${ref.faiss_threads > 1 ? 's' : ''})` : 'n/a: ' + py.stderr.slice(0, 200)} | ` +
          `${ref ? (ours / ref.metrics_s).toFixed(2) + 'x' : ''} | P@1 ${m.precisionAt1.toFixed(4)}/${ref?.p1.toFixed(4)} MAP@R ${m.mapAtR.toFixed(4)}/${ref?.mapr.toFixed(4)} |`,
      );
      console.log(rows[rows.length - 1]);
      continue;
    }
    const nq = 1000;
    const exact = new ExactIndex(dims);
    exact.add({ data: x, rows: n, dims });
    const ivf = new IvfIndex(dims, { nlist: Math.round(4 * Math.sqrt(n)), nprobe: 8, seed: 1 });
    t0 = performance.now();
    ivf.train({ data: x, rows: n, dims });
    ivf.add({ data: x, rows: n, dims });
    const build = (performance.now() - t0) / 1000;
    const queries = { data: x.slice(0, nq * dims), rows: nq, dims };
    const e = evaluateIndex(ivf, exact, queries);
    // The same settings as faiss's IndexHNSWFlat in reference.py: M 16, efConstruction 40, efSearch 64.
    const hnsw = new HnswIndex(dims, { M: 16, efConstruction: 40, efSearch: 64, seed: 1 });
    t0 = performance.now();
    hnsw.add({ data: x, rows: n, dims });
    const hnswBuild = (performance.now() - t0) / 1000;
    const h = evaluateIndex(hnsw, exact, queries);
    const py = spawnSync('/usr/bin/python3', [path.join(__dirname, 'reference.py'), file, String(nq)], {
      encoding: 'utf8',
    });
    const ref =
      py.status === 0 ? (JSON.parse(py.stdout.trim().split('\n').pop() as string) as Record<string, number>) : null;
    rows.push(
      `| ${n} | ${ours.toFixed(2)} s | ${ref ? ref.metrics_s.toFixed(2) + ' s' : 'n/a'} | ${ref ? (ours / ref.metrics_s).toFixed(1) + 'x' : ''} | ` +
        `P@1 ${m.precisionAt1.toFixed(4)}/${ref?.p1.toFixed(4)} MAP@R ${m.mapAtR.toFixed(4)}/${ref?.mapr.toFixed(4)} | ` +
        `IVF r@10 ${e.recallAt10.toFixed(3)} ${e.queriesPerSecond.toFixed(0)} q/s (build ${build.toFixed(1)} s), exact ${e.exactQueriesPerSecond.toFixed(0)} q/s | ` +
        `HNSW r@10 ${h.recallAt10.toFixed(3)} ${h.queriesPerSecond.toFixed(0)} q/s (build ${hnswBuild.toFixed(1)} s) | ` +
        (ref
          ? `faiss HNSW r@10 ${ref.hnsw_recall10.toFixed(3)} ${ref.hnsw_qps.toFixed(0)} q/s, flat ${ref.flat_qps.toFixed(0)} q/s |`
          : `python failed: ${py.stderr.slice(0, 200)} |`),
    );
    console.log(rows[rows.length - 1]);
  }
  console.log(`\nbackend ${info.backend}; metrics = P@1, R-precision, MAP@R (ours / reference)`);
  console.log(
    '| N x 64 | ours | faiss+numpy | ratio | agreement | our IVF (nprobe 8) | our HNSW (M 16, ef 40/64) | faiss |',
  );
  for (const r of rows) console.log(r);
}

void main();
