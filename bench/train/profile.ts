/**
 * Where a training step's time goes: tf.profile over one step (after warm-up), kernel CPU times
 * summed by kernel name, largest first, next to the step's wall and CPU time (the difference
 * between the step's CPU time and the kernels' is JavaScript: mining, validation, tape
 * bookkeeping).
 * Usage: node --import tsx bench/train/profile.ts [mlp|cnn] [wasm|cpu] [--top N] [--calls N]
 * (--calls N also lists the N slowest single calls with their input and output shapes)
 *
 * @example
 * const p = await profileStep('mlp', 'wasm');
 * console.log(p.stepMs, p.kernels.slice(0, 5));
 */
import * as tf from '../../lib/tf';
import { ready, useBackend } from '../../lib/backend';
import { Random } from '../../lib/random';
import { BATCH, makeStep, type ModelKind } from './run';

export interface KernelCost {
  name: string;
  calls: number;
  ms: number;
}

/** One kernel call of the profiled step: its time and the shapes it saw. */
export interface KernelCall {
  name: string;
  ms: number;
  inputs: string;
  output: string;
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
): Promise<{
  stepMs: number;
  cpuMs: number;
  kernelMs: number;
  kernelCalls: number;
  kernels: KernelCost[];
  calls: KernelCall[];
}> {
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
  // Kernel times as CPU time too: tf.profile asks the backend to time each kernel, and the wasm
  // backend's timer is wall time, which other processes on a loaded machine inflate call by call.
  const timer = tf.engine().backend;
  const wallTimer = timer.time.bind(timer);
  timer.time = (f) => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return Promise.resolve({ kernelMs: (c.user + c.system) / 1000 });
  };
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(() => {
      s.step();
    });
  } finally {
    timer.time = wallTimer;
  }
  s.dispose();
  const byName = new Map<string, KernelCost>();
  const calls: KernelCall[] = [];
  const shapes = (xs: (number[] | undefined)[]) => xs.map((x) => `[${x?.join(',') ?? ''}]`).join(' ');
  let kernelMs = 0;
  for (const k of info.kernels) {
    const ms = Number(await k.kernelTimeMs) || 0;
    kernelMs += ms;
    calls.push({ name: k.name, ms, inputs: shapes(k.inputShapes), output: shapes(k.outputShapes) });
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
    calls: calls.sort((a, b) => b.ms - a.ms),
  };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const kind = (args.find((a) => a === 'mlp' || a === 'cnn') ?? 'mlp') as ModelKind;
  const backend = (args.find((a) => a === 'wasm' || a === 'cpu') ?? 'wasm') as 'wasm' | 'cpu';
  const t = args.indexOf('--top');
  const top = t >= 0 ? Number(args[t + 1]) : 15;
  const n = args.indexOf('--calls');
  const slowest = n >= 0 ? Number(args[n + 1]) : 0;
  profileStep(kind, backend)
    .then((p) => {
      console.log(
        `${kind} on ${backend}: step ${p.stepMs.toFixed(1)} ms wall, ${p.cpuMs.toFixed(1)} ms CPU; profiled step: ` +
          `${p.kernelCalls} kernel calls, ${p.kernelMs.toFixed(1)} ms CPU in kernels`,
      );
      for (const k of p.kernels.slice(0, top))
        console.log(`  ${k.name.padEnd(24)} ${String(k.calls).padStart(4)} calls ${k.ms.toFixed(2).padStart(9)} ms`);
      if (slowest > 0) console.log('slowest calls:');
      for (const c of p.calls.slice(0, slowest))
        console.log(`  ${c.name.padEnd(24)} ${c.ms.toFixed(2).padStart(9)} ms  ${c.inputs} -> ${c.output}`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
