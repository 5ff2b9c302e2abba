/**
 * `metriclab train`: trains an embedder on the training classes of MNIST / Fashion-MNIST and
 * measures retrieval on the unseen classes of the test split; writes the model, history,
 * metrics and plots to --out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs, type ParseArgsConfig } from 'util';
import * as tf from '../tf';
import type { Command } from './main';
import { ready } from '../backend';
import type { CrossBatchMemory } from '../losses/cross-batch-memory';
import type { MetricLoss, Miner } from '../types';
import { ArgumentError, checkNumber, checkOneOf, fail } from '../validate';

const LOSS_ALIASES: Record<string, string> = { triplet: 'tripletMargin', margin: 'marginLoss', 'n-pairs': 'nPairs' };
const MINER_ALIASES: Record<string, string> = {
  semihard: 'semiHard',
  'semi-hard': 'semiHard',
  'batch-hard': 'batchHard',
  'distance-weighted': 'distanceWeighted',
  'multi-similarity': 'multiSimilarity',
};
/** Losses that own class weights and need the class count and embedding size. */
const CLASS_WEIGHT_LOSSES = ['proxyNCA', 'proxyAnchor', 'arcFace', 'cosFace', 'softmaxCrossEntropy'];

const HELP = `Usage: metriclab train [options]

Trains an embedder on some classes and evaluates retrieval on the others (unseen classes).

Options:
  --dataset NAME         fashion-mnist | mnist | glyphs (default fashion-mnist); glyphs trains on
                         the background scripts and evaluates on the evaluation scripts
                         (whole scripts unseen; --classes-train does not apply)
  --loss NAME            a loss of lib/losses: triplet (tripletMargin), contrastive, margin,
                         multiSimilarity, circle, liftedStructure, n-pairs, ntXent, supCon,
                         proxyNCA, proxyAnchor, arcFace, cosFace, softmaxCrossEntropy (default triplet)
  --miner NAME           none | semihard | batch-hard | distance-weighted | multi-similarity |
                         pairMargin | hardestNegativePairs | tripletMargin (default semihard)
  --memory N             cross-batch memory of N embeddings around the loss (a pair or triplet
                         loss; the miner then mines against the memory); saved with the model
  --memory-warmup S      steps on the batch alone before the memory starts (default 0)
  --epochs N             training epochs (default 5)
  --classes-train SPEC   training classes, a range '0-4' or a list '0,2,4' (default 0-4);
                         the other classes are the unseen ones evaluated
  --embedding-dim D      embedding size (default 64)
  --model mlp|cnn        embedder (default mlp)
  --batch P,K            P classes x K samples per batch (default P = min(5, training
                         classes), K = 8)
  --lr X                 Adam learning rate (default 0.001)
  --train-limit N        training-split images to load before keeping the training classes (default 10000)
  --test-limit N         test-split images to load before keeping the unseen classes (default 2000)
  --eval-every N         evaluate on the unseen classes every N epochs (default 1)
  --seed S               seed of the weights, batches and miners (default 0)
  --progress MODE        auto | bar | lines | none (default auto)
  --no-plots             skip the SVG/PNG plots
  --out DIR              output directory (required): model/ (model.json + weights.bin, and
                         memory.json + memory.bin with --memory),
                         history.json, metrics.json, training-curves.svg/.png,
                         embedding-map.svg/.png, recall.svg/.png
  -h, --help             this text

Example:
  metriclab train --dataset fashion-mnist --loss triplet --miner semihard --epochs 5 \\
    --classes-train 0-4 --out runs/triplet`;

interface TrainArgs {
  dataset: 'fashion-mnist' | 'mnist' | 'glyphs';
  loss: string;
  miner: string;
  /** Cross-batch memory slots (0: none) and its warm-up steps. */
  memory: number;
  memoryWarmup: number;
  epochs: number;
  classesTrain: number[];
  embeddingDim: number;
  model: 'mlp' | 'cnn';
  p: number;
  k: number;
  lr: number;
  trainLimit: number;
  testLimit: number;
  evalEvery: number;
  seed: number;
  progress: 'auto' | 'bar' | 'lines' | 'none';
  plots: boolean;
  out: string;
}

const FN = 'metriclab train';
/** Default classes per PK batch (capped by the number of training classes). */
const DEFAULT_P = 5;
const DEFAULT_K = 8;

function int(arg: string, value: string | undefined, fallback: number, min = 1): number {
  const v = value === undefined ? fallback : Number(value);
  return checkNumber(FN, arg, v, { min, integer: true });
}

/** '0-4' → [0..4]; '0,2,4' → [0,2,4]. */
export function parseClasses(spec: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(spec);
  const out = range
    ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i)
    : spec.split(',').map((s) => Number(s.trim()));
  if (out.length === 0 || out.some((c) => !Number.isInteger(c) || c < 0 || c > 9)) {
    fail(FN, '--classes-train', "be a range like '0-4' or a list like '0,2,4' of classes 0-9", `'${spec}'`);
  }
  return out;
}

/**
 * The options `metriclab train` accepts (parseArgs config); the help text documents each one.
 *
 * @example
 * Object.keys(TRAIN_OPTIONS); // ['dataset', 'loss', 'miner', ..., 'out']
 */
export const TRAIN_OPTIONS = {
  dataset: { type: 'string' },
  loss: { type: 'string' },
  miner: { type: 'string' },
  memory: { type: 'string' },
  'memory-warmup': { type: 'string' },
  epochs: { type: 'string' },
  'classes-train': { type: 'string' },
  'embedding-dim': { type: 'string' },
  model: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  'train-limit': { type: 'string' },
  'test-limit': { type: 'string' },
  'eval-every': { type: 'string' },
  seed: { type: 'string' },
  progress: { type: 'string' },
  'no-plots': { type: 'boolean' },
  out: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * Parses and checks the command line of `metriclab train` (without running anything).
 *
 * @example
 * parseTrainArgs(['--classes-train', '0-2', '--out', 'runs/x']).p; // 3: P defaults to min(5, classes)
 */
export function parseTrainArgs(argv: string[]): TrainArgs {
  const { values } = parseArgs({ args: argv, options: TRAIN_OPTIONS });
  if (!values.out) fail(FN, '--out', 'be given (the output directory)', 'nothing');
  const classesTrain = parseClasses(values['classes-train'] ?? '0-4');
  // A PK batch needs P distinct training classes, so the default P shrinks with --classes-train.
  const batch = values.batch === undefined ? [undefined, undefined] : values.batch.split(',');
  if (batch.length !== 2) fail(FN, '--batch', 'be P,K (classes per batch, samples per class)', `'${values.batch}'`);
  const p = int('--batch P', batch[0], Math.min(DEFAULT_P, classesTrain.length));
  // glyphs trains on its background scripts (hundreds of classes), not on --classes-train.
  if (values.dataset !== 'glyphs' && p > classesTrain.length)
    fail(FN, '--batch P', `be at most the number of training classes (${classesTrain.length})`, p);
  if (values['memory-warmup'] !== undefined && values.memory === undefined) {
    fail(FN, '--memory-warmup', 'come with --memory', values['memory-warmup']);
  }
  return {
    dataset: checkOneOf(FN, '--dataset', values.dataset ?? 'fashion-mnist', [
      'fashion-mnist',
      'mnist',
      'glyphs',
    ] as const),
    loss: values.loss ?? 'triplet',
    miner: values.miner ?? 'semihard',
    memory: int('--memory', values.memory, 0, 0),
    memoryWarmup: int('--memory-warmup', values['memory-warmup'], 0, 0),
    epochs: int('--epochs', values.epochs, 5),
    classesTrain,
    embeddingDim: int('--embedding-dim', values['embedding-dim'], 64),
    model: checkOneOf(FN, '--model', values.model ?? 'mlp', ['mlp', 'cnn'] as const),
    p,
    k: int('--batch K', batch[1], DEFAULT_K),
    lr: checkNumber(FN, '--lr', Number(values.lr ?? 1e-3), { min: 0, minExclusive: true }),
    trainLimit: int('--train-limit', values['train-limit'], 10000),
    testLimit: int('--test-limit', values['test-limit'], 2000),
    evalEvery: int('--eval-every', values['eval-every'], 1),
    seed: int('--seed', values.seed, 0, 0),
    progress: checkOneOf(FN, '--progress', values.progress ?? 'auto', ['auto', 'bar', 'lines', 'none'] as const),
    plots: !values['no-plots'],
    out: values.out,
  };
}

async function makeLoss(name: string, numClasses: number, embeddingSize: number, seed: number): Promise<MetricLoss> {
  const { losses } = await import('../losses/index.js');
  const key = LOSS_ALIASES[name] ?? name;
  // crossBatchMemory wraps a loss: it comes with --memory, not as a --loss.
  const names = (Object.keys(losses) as (keyof typeof losses)[]).filter((k) => k !== 'crossBatchMemory');
  const factory = checkOneOf(FN, '--loss', key, names);
  if (CLASS_WEIGHT_LOSSES.includes(factory)) {
    const make = losses[factory] as (o: { numClasses: number; embeddingSize: number; seed: number }) => MetricLoss;
    return make({ numClasses, embeddingSize, seed });
  }
  return (losses[factory] as (o?: object) => MetricLoss)();
}

async function makeMiner(name: string, seed: number): Promise<Miner | undefined> {
  if (name === 'none') return undefined;
  const { miners } = await import('../miners/index.js');
  const key = MINER_ALIASES[name] ?? name;
  const factory = checkOneOf(FN, '--miner', key, Object.keys(miners) as (keyof typeof miners)[]);
  if (factory === 'tripletMargin') return miners.tripletMargin({ type: 'semihard' });
  if (factory === 'distanceWeighted') return miners.distanceWeighted({ seed });
  return (miners[factory] as (o?: object) => Miner)();
}

/** With --memory, the loss and the miner go inside a cross-batch memory (the miner mines against it). */
async function withMemory(
  args: TrainArgs,
  loss: MetricLoss,
  miner: Miner | undefined,
): Promise<{ loss: MetricLoss; miner?: Miner; memory?: CrossBatchMemory }> {
  if (args.memory === 0) {
    return { loss, miner };
  }
  const { BaseMetricLoss, losses } = await import('../losses/index.js');
  const { BaseMiner } = await import('../miners/index.js');
  if (!(loss instanceof BaseMetricLoss) || !loss.pairBased) {
    fail(FN, '--loss', 'be a pair or triplet loss with --memory (not a proxy or classifier loss)', args.loss);
  }
  if (miner !== undefined && !(miner instanceof BaseMiner)) fail(FN, '--miner', 'be a miner of lib/miners', args.miner);
  const memory = losses.crossBatchMemory({
    loss,
    miner,
    embeddingSize: args.embeddingDim,
    memorySize: args.memory,
    startAfterSteps: args.memoryWarmup,
  });
  return { loss: memory, memory };
}

function writeJson(file: string, value: unknown): void {
  // NaN (undefined means) is not JSON; write null so the file parses everywhere.
  fs.writeFileSync(
    file,
    JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2),
  );
}

/** The training set and the unseen-class test set of `--dataset`, and how to describe them. */
async function trainTestSets(args: TrainArgs) {
  const { loadDataset, loadGlyphs, classDisjointSplit, subsetDataset } = await import('../data/index.js');
  if (args.dataset === 'glyphs') {
    const trainSet = await loadGlyphs({ split: 'background', limit: args.trainLimit });
    const testSet = await loadGlyphs({ split: 'evaluation', limit: args.testLimit });
    return {
      trainSet,
      testSet,
      numClasses: trainSet.classNames.length,
      unseenClasses: [...new Set(testSet.labels)].sort((a, b) => a - b),
      trainedOn: `${trainSet.labels.length} training images of the background scripts`,
      unseenOn: `${testSet.labels.length} test images of the unseen evaluation scripts ${testSet.scripts.join(',')}`,
    };
  }

  const unseenClasses = Array.from({ length: 10 }, (_, c) => c).filter((c) => !args.classesTrain.includes(c));
  if (unseenClasses.length === 0)
    fail(FN, '--classes-train', 'leave at least one class unseen', args.classesTrain.join(','));
  const split = { trainClasses: args.classesTrain, testClasses: unseenClasses };
  const trainAll = await loadDataset(args.dataset, { split: 'train', limit: args.trainLimit });
  const testAll = await loadDataset(args.dataset, { split: 'test', limit: args.testLimit });
  const trainSet = subsetDataset(trainAll, classDisjointSplit(trainAll.labels, split).train);
  const testSet = subsetDataset(testAll, classDisjointSplit(testAll.labels, split).test);
  tf.dispose([trainAll.images, testAll.images]);
  return {
    trainSet,
    testSet,
    numClasses: Math.max(...args.classesTrain) + 1,
    unseenClasses,
    trainedOn: `${trainSet.labels.length} training images of classes ${args.classesTrain.join(',')}`,
    unseenOn: `${testSet.labels.length} test images of unseen classes ${unseenClasses.join(',')}`,
  };
}

async function run(args: TrainArgs): Promise<void> {
  const info = await ready();
  const { trainSet, testSet, numClasses, unseenClasses, trainedOn, unseenOn } = await trainTestSets(args);
  const { PKSampler } = await import('../samplers/index.js');
  const { mlpEmbedder, cnnEmbedder, saveModel, embed } = await import('../models/index.js');
  const { saveMemory } = await import('../losses/index.js');
  const { train, retrievalEvaluation, retrievalMetricsFn } = await import('../train/index.js');
  console.log(`${args.dataset} from ${trainSet.source}: ${trainedOn}; ${unseenOn}; backend ${info.backend}`);

  const head = { embeddingDim: args.embeddingDim, seed: args.seed };
  const model =
    args.model === 'mlp' ? mlpEmbedder({ inputShape: [28, 28, 1], hidden: [256], ...head }) : cnnEmbedder(head);
  const { loss, miner, memory } = await withMemory(
    args,
    await makeLoss(args.loss, numClasses, args.embeddingDim, args.seed),
    await makeMiner(args.miner, args.seed),
  );
  const history = await train({
    model,
    loss,
    miner,
    sampler: new PKSampler({
      labels: trainSet.labels,
      classesPerBatch: args.p,
      samplesPerClass: args.k,
      seed: args.seed,
    }),
    data: { x: trainSet.images, labels: trainSet.labels },
    epochs: args.epochs,
    optimizer: { name: 'adam', learningRate: args.lr },
    seed: args.seed,
    evaluate: retrievalEvaluation(testSet.images, testSet.labels, { every: args.evalEvery, atStart: true }),
    progress: args.progress,
  });

  const metricsFn = retrievalMetricsFn([1, 2, 4, 8]);
  const rawPixels = await metricsFn(
    testSet.images.reshape([testSet.labels.length, 784]) as tf.Tensor2D,
    testSet.labels,
  );
  const final = history.epochs[history.epochs.length - 1].metrics ?? {};
  fs.mkdirSync(args.out, { recursive: true });
  await saveModel(model, path.join(args.out, 'model'));
  if (memory) await saveMemory(memory, path.join(args.out, 'model'));
  writeJson(path.join(args.out, 'history.json'), history);
  writeJson(path.join(args.out, 'metrics.json'), {
    evaluatedOn: `${args.dataset}: ${unseenOn}`,
    trained: final,
    untrained: history.initialMetrics,
    rawPixels,
    config: { ...args, backend: info.backend },
  });
  console.log(
    `unseen-class Recall@1: trained ${final.recallAt1?.toFixed(4)}, untrained ${history.initialMetrics?.recallAt1?.toFixed(4)}, ` +
      `raw pixels ${rawPixels.recallAt1.toFixed(4)}; MAP@R trained ${final.mapAtR?.toFixed(4)}`,
  );

  if (args.plots) {
    const viz = await import('../viz/index.js');
    const emb = embed(model, testSet.images);
    const points = viz.pca(emb.arraySync()).points;
    emb.dispose();
    const recallRows = (['untrained', 'trained', 'raw pixels'] as const).flatMap((method) => {
      const m = method === 'trained' ? final : method === 'untrained' ? (history.initialMetrics ?? {}) : rawPixels;
      return [1, 2, 4, 8].map((k) => ({ method, k, recall: m[`recallAt${k}`] }));
    });
    const specs = {
      'training-curves': viz.trainingCurves(
        [
          {
            name: args.loss,
            points: history.steps.map(({ step, loss, fractionActive }) => ({ step, loss, fractionActive })),
          },
        ],
        {
          metrics: ['loss', 'fractionActive'],
        },
      ),
      'embedding-map': viz.embeddingMap(
        { points, labels: testSet.labels, classNames: testSet.classNames, unseenClasses },
        { title: 'Unseen-class test embeddings (PCA)' },
      ),
      recall: viz.recallAtKBars(recallRows, { title: 'Recall@K on unseen classes' }),
    };
    for (const [name, spec] of Object.entries(specs)) {
      fs.writeFileSync(path.join(args.out, `${name}.svg`), await viz.toSvg(spec));
      fs.writeFileSync(path.join(args.out, `${name}.png`), await viz.toPng(spec));
    }
  }
  tf.dispose([trainSet.images, testSet.images]);
  model.dispose();
  console.log(`wrote ${args.out}`);
}

export const command: Command = {
  summary: 'train an embedder on some classes and evaluate retrieval on the unseen ones',
  async run(argv: string[]): Promise<number> {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(HELP);
      return 0;
    }
    try {
      await run(parseTrainArgs(argv));
      return 0;
    } catch (e) {
      if (e instanceof ArgumentError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error((e as Error).message);
        console.error('Run `metriclab train --help` for the options.');
        return 2;
      }
      throw e;
    }
  },
};
