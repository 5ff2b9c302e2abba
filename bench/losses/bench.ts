/**
 * Loss + miner forward and backward, TensorFlow.js (default backend) vs the same math in PyTorch
 * (bench/losses/bench_torch.py, Debian's python3-torch), same shapes and repeats, in one run.
 *
 *   node --import tsx bench/losses/bench.ts [--repeats 5]   (PYTHON=... picks the interpreter)
 *   METRICLAB_NATIVE=0 ...  (the XNNPACK matmuls even where the native OpenBLAS path is built)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { nativeBlasStatus, ready } from '../../lib/backend';
import { losses } from '../../lib/losses';
import { miners } from '../../lib/miners';
import { Random } from '../../lib/random';
import type { MetricLoss, Miner } from '../../lib/types';

const D = 128;
const SIZES = [256, 1024];
const argIndex = process.argv.indexOf('--repeats');
const REPEATS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 5;
/** Untimed runs first (bench_torch.py is given the same count): V8 compiles the fused passes' loops in them. */
const WARMUP = 3;

type Step = (e: tf.Tensor2D, labels: number[]) => void;

/** One forward+backward step of `loss`, on mined indices when a miner is given. */
function step(loss: MetricLoss, miner?: Miner): Step {
  return (e, labels) => {
    const mined = miner?.mine(e, labels);
    tf.tidy(
      () =>
        void tf
          .grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, labels, mined).loss)(e)
          .dataSync(),
    );
  };
}

/** Same cases as bench_torch.py: name → one forward+backward step. */
const CASES: Record<string, Step> = {
  'triplet all (sq. L2, mean)': step(losses.tripletMargin()),
  'batchHard miner + triplet': step(losses.tripletMargin(), miners.batchHard()),
  'contrastive (all pairs)': step(losses.contrastive()),
  'multiSimilarity miner + loss': step(losses.multiSimilarity(), miners.multiSimilarity()),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const info = await ready();
  const rng = new Random(0);
  const tfjs: Record<string, number> = {};
  for (const n of SIZES) {
    const e = tf.tensor2d(
      Array.from({ length: n * D }, () => rng.normal()),
      [n, D],
    );
    const labels = Array.from({ length: n }, (_, i) => i % (n / 4)); // PK batches, K = 4
    for (const [name, run] of Object.entries(CASES)) {
      for (let w = 0; w < WARMUP; w++) run(e, labels);
      const times: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const t = performance.now();
        run(e, labels);
        times.push(performance.now() - t);
      }
      tfjs[`${name}|${n}`] = median(times);
    }
    e.dispose();
  }
  // Debian's python3-torch lives with the system interpreter (a pyenv python3 on PATH may lack it).
  const python = process.env.PYTHON ?? (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const py = spawnSync(
    python,
    [path.join(__dirname, 'bench_torch.py'), String(REPEATS), String(WARMUP), ...SIZES.map(String)],
    {
      encoding: 'utf8',
    },
  );
  if (py.status !== 0) {
    console.error(`bench_torch.py failed (${python}): ${py.stderr}`);
    process.exitCode = 1;
    return;
  }
  const torch = JSON.parse(py.stdout) as { times: Record<string, number>; threads: number; version: string };
  console.log(`tfjs backend: ${info.backend} (${info.reason}); torch ${torch.version} on ${torch.threads} threads`);
  const blas = nativeBlasStatus();
  console.log(
    `matrix products: ${blas.loaded ? `native OpenBLAS sgemm, ${blas.threads} thread(s)` : `XNNPACK inside wasm (native path: ${blas.reason})`}`,
  );
  console.log(`median of ${REPEATS} forward+backward steps, D = ${D}, PK batches (K = 4)\n`);
  console.log(
    `${'case'.padEnd(32)} ${'B'.padStart(5)} ${'tfjs ms'.padStart(10)} ${'torch ms'.padStart(10)} ${'ratio'.padStart(7)}`,
  );
  for (const key of Object.keys(tfjs)) {
    const [name, n] = key.split('|');
    const t = torch.times[key];
    console.log(
      `${name.padEnd(32)} ${n.padStart(5)} ${tfjs[key].toFixed(1).padStart(10)} ${t.toFixed(1).padStart(10)} ${(tfjs[key] / t).toFixed(1).padStart(7)}`,
    );
  }
}

void main();
