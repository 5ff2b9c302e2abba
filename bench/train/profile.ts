/**
 * Where a training step's time goes: tf.profile over one step (after warm-up), kernel times
 * summed by kernel name, largest first, plus the wall time of the step outside the kernels
 * (JavaScript: mining, validation, tape bookkeeping).
 * Usage: node --import tsx bench/train/profile.ts [mlp|cnn] [wasm|cpu] [--top N]
 *
 * @example
 * const p = await profileStep('mlp', 'wasm');
 * console.log(p.stepMs, p.kernels.slice(0, 5));
 */
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../lib/backend';
import { Random } from '../../lib/random';
import { BATCH, makeStep, type ModelKind } from './run';

export interface KernelCost {
  name: string;
  calls: number;
  ms: number;
}

/**
 * Profiles one step of `kind` on `backend`; kernels sorted by total time.
 *
 * @example
 * (await profileStep('cnn', 'wasm')).kernels[0]; // { name: 'Conv2DBackpropFilter', calls: 2, ms: ... }
 */
export async function profileStep(
  kind: ModelKind,
  backend: 'wasm' | 'cpu',
): Promise<{ stepMs: number; cpuMs: number; kernelMs: number; kernelCalls: number; kernels: KernelCost[] }> {
  await ready();
  await useBackend(backend);
  const rng = new Random(7);
  const x = Float32Array.from({ length: BATCH * 784 }, () => rng.uniform());
  const y = Int32Array.from({ length: BATCH }, (_, i) => i % 16);
  const s = makeStep(kind, x, y);
  s.step();
  s.step();
  // CPU time next to wall time: this machine is shared, and CPU time is what a fix changes.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  s.step();
  const stepMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const info = await tf.profile(() => {
    s.step();
  });
  s.dispose();
  const byName = new Map<string, KernelCost>();
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = Number(await k.kernelTimeMs) || 0;
    kernelMs += ms;
    const c = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    c.calls++;
    c.ms += ms;
    byName.set(k.name, c);
  }
  return {
    stepMs,
    cpuMs: (c.user + c.system) / 1000,
    kernelMs,
    kernelCalls: info.kernels.length,
    kernels: [...byName.values()].sort((a, b) => b.ms - a.ms),
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const kind = (args.find((a) => a === 'mlp' || a === 'cnn') ?? 'mlp') as ModelKind;
  const backend = (args.find((a) => a === 'wasm' || a === 'cpu') ?? 'wasm') as 'wasm' | 'cpu';
  const t = args.indexOf('--top');
  const top = t >= 0 ? Number(args[t + 1]) : 15;
  profileStep(kind, backend)
    .then((p) => {
      console.log(
        `${kind} on ${backend}: step ${p.stepMs.toFixed(1)} ms wall, ${p.cpuMs.toFixed(1)} ms CPU; profiled step: ` +
          `${p.kernelCalls} kernel calls, ${p.kernelMs.toFixed(1)} ms in kernels`,
      );
      for (const k of p.kernels.slice(0, top))
        console.log(`  ${k.name.padEnd(24)} ${String(k.calls).padStart(4)} calls ${k.ms.toFixed(2).padStart(9)} ms`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
