/**
 * Row 1: one training step (forward, batch-hard mining, triplet loss, backward, Adam) of the MLP
 * embedder 784→256→128 and the small CNN, batch 256, on each backend available here, against
 * PyTorch CPU on the same batch (bench/train/reference.py).
 * Usage: node --import tsx bench/train/run.ts [--repeats N] [mlp] [cnn]
 *
 * @example
 * const table = await benchTrain({ repeats: 5 });
 * console.log(renderTable(table));
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { nativeBlasStatus, ready, setNativeBlasEnabled, useBackend } from '../../lib/backend';
import { tripletMargin } from '../../lib/losses/triplet-margin';
import { batchHard } from '../../lib/miners/batch-hard';
import { cnnEmbedder } from '../../lib/models/cnn';
import { mlpEmbedder } from '../../lib/models/mlp';
import { Random } from '../../lib/random';
import { trainStep, type StepContext } from '../../lib/train/step';
import {
  formatRatio,
  formatSpan,
  renderTable,
  runPython,
  summarize,
  timeRepeats,
  type ResultTable,
  type Timing,
} from '../common';

export const BATCH = 256;
const CLASSES = 16;
export type ModelKind = 'mlp' | 'cnn';
/** 'wasm' uses the native sgemm when it is built; 'wasm-xnnpack' is wasm with it turned off. */
type Backend = 'wasm' | 'wasm-xnnpack' | 'cpu' | 'tensorflow' | 'webgpu';

/** A seeded batch in [0,1] with 16 classes of 16 (every anchor has positives and negatives). */
function batch(seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Random(seed);
  const x = Float32Array.from({ length: BATCH * 784 }, () => rng.uniform());
  const y = Int32Array.from({ length: BATCH }, (_, i) => i % CLASSES);
  return { x, y };
}

function build(kind: ModelKind): tf.LayersModel {
  return kind === 'mlp'
    ? mlpEmbedder({ inputShape: [784], hidden: [256], embeddingDim: 128, seed: 1 })
    : cnnEmbedder({ inputShape: [28, 28, 1], embeddingDim: 128, seed: 1 });
}

/**
 * A step closure on the current backend, exactly as lib/train/train.ts sets one up, and a
 * dispose for everything it made.
 *
 * @example
 * const s = makeStep('mlp', x, y); s.step(); s.dispose();
 */
export function makeStep(kind: ModelKind, x: Float32Array, y: Int32Array): { step: () => number; dispose: () => void } {
  const model = build(kind);
  const input = kind === 'mlp' ? tf.tensor2d(x, [BATCH, 784]) : tf.tensor4d(x, [BATCH, 28, 28, 1]);
  const optimizer = tf.train.adam(1e-3);
  const ctx: StepContext = {
    model,
    loss: tripletMargin(),
    miner: batchHard(),
    optimizer,
    varList: model.trainableWeights.map((w) => w.read() as tf.Variable),
  };
  let i = 0;
  return {
    step: () => trainStep(ctx, input, y, undefined, { step: i++, epoch: 0, lastFiniteLoss: NaN }).loss,
    dispose: () => {
      input.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** Switches backend; the native one is loaded only when installed (it is optional). */
async function switchTo(backend: Backend): Promise<void> {
  setNativeBlasEnabled(backend !== 'wasm-xnnpack');
  if (backend === 'wasm-xnnpack') return useBackend('wasm');
  if (backend !== 'tensorflow') return useBackend(backend);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-node');
  await tf.setBackend('tensorflow');
}

function availableBackends(): Backend[] {
  const out: Backend[] = nativeBlasStatus().loaded ? ['wasm', 'wasm-xnnpack', 'cpu'] : ['wasm', 'cpu'];
  // webgpu only when asked for (bench/gpu-check.sh): on a software adapter it would take minutes.
  if (process.env.METRICLAB_BACKEND === 'webgpu') out.unshift('webgpu');
  try {
    require.resolve('@tensorflow/tfjs-node');
    out.unshift('tensorflow');
  } catch {
    // Optional native package: not installed here.
  }
  return out;
}

/** A backend as the table names it: which path the matrix products took. */
function pathLabel(backend: Backend): string {
  const blas = nativeBlasStatus();
  if (backend === 'wasm' && blas.loaded) return `wasm + native OpenBLAS sgemm (${blas.threads} thread)`;
  if (backend === 'wasm' || backend === 'wasm-xnnpack') return 'wasm (XNNPACK matmuls)';
  return backend;
}

/**
 * Warm-up steps per model, the same for ours and for PyTorch. The MLP's first steps are slower
 * while V8 compiles the step's loops and wasm memory grows: with one warm-up step the 2026-12-05
 * run's median (17.5 ms over 8 steps) was 1.8× the steady state of the same build (9.8 ms over 60).
 */
const WARMUP: Record<ModelKind, number> = { mlp: 10, cnn: 1 };

/**
 * Warm-up and timed steps per case (the first step, whose loss is reported, is one more warm-up).
 * Steps that take up to a second (the CNN; anything on the pure-JS cpu backend) get fewer.
 */
function repeatsFor(kind: ModelKind, backend: Backend, repeats: number) {
  if (backend === 'cpu' || kind === 'cnn')
    return { warmup: backend === 'cpu' ? 0 : WARMUP.cnn, repeats: Math.min(repeats, 3) };
  return { warmup: WARMUP.mlp, repeats };
}

interface Measured {
  kind: ModelKind;
  backend: string;
  ours: Timing;
  firstLoss: number;
}

async function measure(kind: ModelKind, backend: Backend, repeats: number, x: Float32Array, y: Int32Array) {
  const s = makeStep(kind, x, y);
  try {
    const firstLoss = s.step();
    // Counted after the first step, which creates Adam's moment variables (disposed with it).
    const before = tf.memory().numTensors;
    const ours = await timeRepeats(s.step, repeatsFor(kind, backend, repeats));
    return { firstLoss, ours, leaked: tf.memory().numTensors - before };
  } finally {
    s.dispose();
  }
}

/**
 * Runs row 1 and returns its table (ours on each backend, PyTorch, median ratio).
 *
 * @example
 * renderTable(await benchTrain({ repeats: 3, models: ['mlp'] }));
 */
export async function benchTrain({
  repeats = 10,
  models = ['mlp', 'cnn'] as ModelKind[],
  log = (line: string) => console.log(line),
}: {
  repeats?: number;
  models?: ModelKind[];
  log?: (line: string) => void;
} = {}): Promise<ResultTable> {
  await ready();
  const { x, y } = batch(7);
  const file = path.join(os.tmpdir(), `metriclab-bench-train-${process.pid}.bin`);
  fs.writeFileSync(
    file,
    Buffer.concat([Buffer.from(Int32Array.from([BATCH, 784]).buffer), Buffer.from(x.buffer), Buffer.from(y.buffer)]),
  );
  const table: ResultTable = {
    title: `Row 1: training step, batch ${BATCH}, triplet loss + batch-hard mining, Adam`,
    header: ['model', 'backend', 'ours (min / median / max)', 'PyTorch CPU', 'ratio ours/ref'],
    rows: [],
    notes: [],
  };
  const measured: Measured[] = [];
  for (const backend of availableBackends()) {
    await switchTo(backend);
    for (const kind of models) {
      if (backend === 'cpu' && kind === 'cnn') {
        table.notes.push(
          'CNN on the pure-JS cpu backend: skipped, one step takes minutes there (tfjs-backend-cpu computes the ' +
            'conv gradients element by element through TensorBuffer.get); the wasm rows cover the CNN',
        );
        continue;
      }
      const { firstLoss, ours, leaked } = await measure(kind, backend, repeats, x, y);
      if (leaked !== 0) table.notes.push(`${kind} on ${backend}: ${leaked} tensors left after the steps`);
      measured.push({ kind, backend: pathLabel(backend), ours, firstLoss });
      log(`train ${kind} ${backend}: ${formatSpan(ours, 'ms')} (${ours.samples.length} steps)`);
    }
  }
  await switchTo('wasm');
  let threads = 0;
  for (const kind of models) {
    // PyTorch gets the wasm plan: its first step, then the same warm-up and timed steps.
    const plan = repeatsFor(kind, 'wasm', repeats);
    const ref = runPython<{ step_s: number[]; threads: number; first_loss: number }>(
      path.join(__dirname, 'reference.py'),
      [file, kind, String(plan.warmup + 1), String(plan.repeats)],
    );
    if (ref.ok) threads = ref.value.threads;
    const refTiming = ref.ok ? summarize(ref.value.step_s) : null;
    if (!ref.ok) table.notes.push(`PyTorch ${kind} skipped: ${ref.reason}`);
    else log(`train ${kind} pytorch: ${formatSpan(refTiming!, 'ms')}`);
    for (const m of measured.filter((r) => r.kind === kind)) {
      table.rows.push([
        kind === 'mlp' ? 'MLP 784→256→128' : 'CNN 32-64 conv, dense 128→128',
        `${m.backend} (${m.ours.samples.length} steps)`,
        formatSpan(m.ours, 'ms'),
        refTiming ? formatSpan(refTiming, 'ms') : 'skipped',
        refTiming ? formatRatio(m.ours, refTiming) : '',
      ]);
    }
    if (ref.ok) {
      const ours = measured.find((m) => m.kind === kind);
      table.notes.push(
        `${kind}: loss of the first step ${ours?.firstLoss.toFixed(4)} (ours, wasm) vs ${ref.value.first_loss.toFixed(4)} (PyTorch); ` +
          'different initial weights, same formula, so only the scale should agree',
      );
    }
  }
  fs.rmSync(file, { force: true });
  table.notes.push(
    'since 2026-12-05: the optional native path (OpenBLAS sgemm behind the wasm matmuls, native/), and the ' +
      'mined-triplet loss in one JavaScript pass over the rows (lib/losses/fused-triplets.ts) on wasm and cpu; ' +
      'the XNNPACK row is the same code with the native path off (METRICLAB_NATIVE=0)',
  );
  table.notes.push(
    "with the library's kernels (lib/backend): wasm BatchMatMul without tfjs's slow transposed path, wasm " +
      'Conv2DBackpropFilter as im2col + matmul, cpu UnsortedSegmentSum in one pass; before them (2026-11-28 ' +
      'run) the medians were MLP wasm 111 ms, MLP cpu 3340 ms, CNN wasm 2831 ms (bench/train/PROFILE.md)',
  );
  table.notes.push(
    `same seeded batch both sides: ${BATCH} rows of uniform [0,1) pixels, ${CLASSES} classes × ${BATCH / CLASSES}; ` +
      `PyTorch with ${threads || '?'} thread(s); one sample = one full step, after warm-up steps`,
  );
  return table;
}

if (require.main === module) {
  const r = process.argv.indexOf('--repeats');
  const models = (['mlp', 'cnn'] as const).filter((m) => process.argv.includes(m));
  benchTrain({ repeats: r > 0 ? Number(process.argv[r + 1]) : 10, models: models.length ? [...models] : undefined })
    .then((t) => console.log('\n' + renderTable(t)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
