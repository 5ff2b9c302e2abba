/**
 * Times one training step (batch 64, Adam) of the tiny MLP and CNN, and one gather gradient, on
 * wasm (with the cpu-bridged kernels) and on cpu, to put a number on what the bridge costs.
 * Not a test (tests never assert a time):
 *
 *   node --import tsx bench/backend/time-steps.ts [wasm|cpu|both]   (default both)
 */
import * as tf from '../../lib/tf';
import { ready, useBackend } from '../../lib/backend';
import { Random } from '../../lib/random';
import {
  crossEntropy,
  mlp,
  quadrantImages,
  seededNormal,
  smallCnn,
  type TinyModel,
} from '../../test/backend/tiny-models';

const REPEATS = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of fn over REPEATS runs after one warm-up. */
function time(fn: () => void): number {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function stepTimer(make: (seed: number) => TinyModel): () => void {
  const model = make(1);
  const { x, y } = quadrantImages(64, 2);
  const optimizer = tf.train.adam(0.01);
  return () => {
    const loss = optimizer.minimize(() => crossEntropy(model, x, y), true, model.variables);
    loss!.dataSync();
    loss!.dispose();
  };
}

function gatherGradTimer(): () => void {
  // A triplet loss's access pattern: 64 embeddings of 32 dims, 3 x 2000 mined indices.
  const rng = new Random(3);
  const emb = seededNormal(rng, [64, 32]);
  const idx = tf.tensor1d(
    Array.from({ length: 6000 }, () => rng.int(64)),
    'int32',
  );
  const g = tf.grad((e: tf.Tensor) => tf.gather(e, idx).square().sum());
  return () => tf.tidy(() => void g(emb).dataSync());
}

async function main(): Promise<void> {
  await ready();
  const rows: string[] = [];
  const results: Record<string, Record<string, number>> = {};
  const which = process.argv[2] ?? 'both';
  const backends = (['wasm', 'cpu'] as const).filter((b) => which === 'both' || which === b);
  for (const backend of backends) {
    await useBackend(backend);
    results[backend] = {
      'MLP step (784-64-32-4)': time(stepTimer(mlp)),
      'CNN step (conv8-pool-conv16-dense32-4)': time(stepTimer(smallCnn)),
      'gather gradient (64x32, 6000 idx)': time(gatherGradTimer()),
    };
  }
  for (const what of Object.keys(results[backends[0]])) {
    const w = results.wasm?.[what] ?? NaN;
    const c = results.cpu?.[what] ?? NaN;
    rows.push(
      `${what.padEnd(40)} wasm ${w.toFixed(1).padStart(7)} ms   cpu ${c.toFixed(1).padStart(7)} ms   wasm/cpu ${(w / c).toFixed(2)}`,
    );
  }
  if (tf.getBackend() !== 'wasm') await useBackend('wasm');
  // Where the wasm CNN step spends its time: the bridged kernels versus the native ones.
  const profile = await tf.profile(stepTimer(smallCnn));
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(rows.join('\n'));
  console.log('wasm CNN step, top kernels (ms): ' + top.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', '));
}

void main();
