/**
 * Row 7: the cost of a cross-batch memory per training step. One step (forward, loss, backward,
 * Adam) of the MLP embedder 784→256→128 with batch 32 and a full 1024-slot memory, side by side
 * with batch 32 and batch 256 without one (32 x 1024 pairs against 256 x 256), for a pair loss
 * (contrastive, all pairs) and a mined triplet loss (batch-hard). Ratios are medians in one run.
 * Usage: node --import tsx bench/train/xbm.ts [--repeats N]
 *
 * @example
 * console.log(renderTable(await benchXbm({ repeats: 3 })));
 */
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { losses, type BaseMetricLoss } from '../../lib/losses';
import { miners, type BaseMiner } from '../../lib/miners';
import { mlpEmbedder } from '../../lib/models/mlp';
import { Random } from '../../lib/random';
import { trainStep, type StepContext } from '../../lib/train/step';
import type { MetricLoss, Miner } from '../../lib/types';
import { formatRatio, formatSpan, renderTable, timeRepeats, type ResultTable, type Timing } from '../common';

const MEMORY = 1024;
const SMALL = 32;
const LARGE = 256;
const CLASSES = 16;
const DIM = 128;

interface Config {
  name: string;
  loss: () => BaseMetricLoss;
  miner?: () => BaseMiner;
}

const CONFIGS: Config[] = [
  { name: 'contrastive, all pairs', loss: () => losses.contrastive() },
  {
    name: 'triplet + batch-hard',
    loss: () => losses.tripletMargin({ margin: 0.2 }),
    miner: () => miners.batchHard(),
  },
];

/** Seeded batches in [0,1], 16 classes (every anchor has positives and negatives). */
function batches(size: number, count: number, seed: number): { x: tf.Tensor2D; y: Int32Array }[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => ({
    x: tf.tensor2d(
      Float32Array.from({ length: size * 784 }, () => rng.uniform()),
      [size, 784],
    ),
    y: Int32Array.from({ length: size }, (_, i) => (i + Math.floor(rng.uniform() * CLASSES)) % CLASSES),
  }));
}

/** Times steps of one setup; with a memory, the warm-up steps fill it first. */
async function timeSetup(config: Config, batchSize: number, memory: boolean, repeats: number): Promise<Timing> {
  const model = mlpEmbedder({ inputShape: [784], hidden: [256], embeddingDim: DIM, seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const inner = config.loss();
  const xbm = memory
    ? losses.crossBatchMemory({ loss: inner, miner: config.miner?.(), embeddingSize: DIM, memorySize: MEMORY })
    : undefined;
  const loss: MetricLoss = xbm ?? inner;
  const miner: Miner | undefined = xbm ? undefined : config.miner?.();
  const ctx: StepContext = {
    model,
    loss,
    miner,
    optimizer,
    varList: model.trainableWeights.map((w) => w.read() as tf.Variable),
  };
  const data = batches(batchSize, 4, 7);
  let i = 0;
  const step = (): number => {
    const b = data[i % data.length];
    return trainStep(ctx, b.x, b.y, undefined, { step: i++, epoch: 0, lastFiniteLoss: NaN }).loss;
  };
  const warmup = memory ? Math.ceil(MEMORY / batchSize) : 3;
  try {
    return await timeRepeats(step, { warmup, repeats });
  } finally {
    tf.dispose(data.flatMap((b) => [b.x]));
    xbm?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * The table of row 7 on the current backend.
 *
 * @example
 * renderTable(await benchXbm({ repeats: 2 }));
 */
export async function benchXbm({
  repeats = 5,
  log = () => {},
}: { repeats?: number; log?: (line: string) => void } = {}): Promise<ResultTable> {
  const table: ResultTable = {
    title: `Row 7: cross-batch memory, one training step (MLP 784→256→${DIM}, ${tf.getBackend()})`,
    header: [
      'loss',
      `batch ${SMALL}`,
      `batch ${SMALL} + ${MEMORY} memory`,
      `batch ${LARGE}`,
      `memory / batch ${SMALL}`,
      `memory / batch ${LARGE}`,
    ],
    rows: [],
    notes: [
      `min / median / max over ${repeats} steps; the memory is full before timing (${MEMORY / SMALL} untimed steps).`,
      `Pairs per step: ${SMALL}x${MEMORY} with the memory, ${LARGE}x${LARGE} for batch ${LARGE}; the memory's forward and backward pass see only ${SMALL} images.`,
    ],
  };
  for (const config of CONFIGS) {
    const small = await timeSetup(config, SMALL, false, repeats);
    const withMemory = await timeSetup(config, SMALL, true, repeats);
    const large = await timeSetup(config, LARGE, false, repeats);
    log(`xbm ${config.name}: ${formatSpan(withMemory, 'ms')} with memory`);
    table.rows.push([
      config.name,
      formatSpan(small, 'ms'),
      formatSpan(withMemory, 'ms'),
      formatSpan(large, 'ms'),
      formatRatio(withMemory, small),
      formatRatio(withMemory, large),
    ]);
  }
  return table;
}

if (require.main === module) {
  const r = process.argv.indexOf('--repeats');
  const repeats = r >= 0 ? Number(process.argv[r + 1]) : 5;
  ready()
    .then(() => benchXbm({ repeats, log: (l) => console.error(l) }))
    .then((t) => console.log(renderTable(t)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
