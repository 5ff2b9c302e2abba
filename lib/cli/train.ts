/**
 * `metriclab train`: trains an embedder on the training classes of MNIST / Fashion-MNIST and
 * measures retrieval on the unseen classes of the test split; writes the model, history,
 * metrics and plots to --out.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../tf';
import {
  defineCommand,
  parseCommandLine,
  processIo,
  UsageError,
  type CliIo,
  type OptionSpecs,
  type ParsedValues,
} from './harness';
import { ready } from '../backend';
import type { CrossBatchMemory } from '../losses/cross-batch-memory';
import type { OptionTable } from '../options';
import type { MetricLoss, Miner } from '../types';
import { checkNumber, checkOneOf, fail } from '../validate';

/** Older spellings still accepted; --help and errors use the factory names only. */
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
/** Loss and miner options that `metriclab train` sets itself, and from what. */
const SET_BY_TRAIN: Record<string, string> = {
  numClasses: 'the training classes',
  embeddingSize: '--embedding-dim',
  seed: '--seed',
};
/** What a loss or miner gets when --loss-opt / --miner-opt do not say otherwise. */
const MINER_DEFAULTS: Record<string, Record<string, string>> = { tripletMargin: { type: 'semihard' } };

/**
 * The options `metriclab train` accepts; the parser and --help are both made from this table.
 *
 * @example
 * Object.keys(TRAIN_OPTIONS); // ['dataset', 'loss', 'loss-opt', 'miner', ..., 'out']
 */
export const TRAIN_OPTIONS = {
  dataset: {
    type: 'string',
    value: 'NAME',
    help: 'fashion-mnist | mnist | glyphs (default fashion-mnist); glyphs trains on\nthe background scripts and evaluates on the evaluation scripts\n(whole scripts unseen; --classes-train does not apply)',
  },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    help: 'the folder holding the dataset (default: METRICLAB_DATA_DIR/<name>,\n/usr/share/datasets/<name>, then the repository data/<name>)',
  },
  loss: { type: 'string', value: 'NAME', help: 'a loss of lib/losses, listed below (default tripletMargin)' },
  'loss-opt': {
    type: 'string',
    multiple: true,
    value: 'KEY=VALUE',
    help: 'an option of the loss (repeatable), e.g. --loss-opt margin=0.1; VALUE is read\nas a number, true/false, or else a string; checked by the loss before any data loads',
  },
  miner: { type: 'string', value: 'NAME', help: 'none, or a miner of lib/miners, listed below (default semiHard)' },
  'miner-opt': {
    type: 'string',
    multiple: true,
    value: 'KEY=VALUE',
    help: 'an option of the miner (repeatable), as --loss-opt',
  },
  memory: {
    type: 'string',
    value: 'N',
    help: 'cross-batch memory of N embeddings around the loss (a pair or triplet\nloss; the miner then mines against the memory); saved with the model',
  },
  'memory-warmup': {
    type: 'string',
    value: 'S',
    help: 'steps on the batch alone before the memory starts (default 0)',
  },
  epochs: { type: 'string', value: 'N', help: 'training epochs (default 5)' },
  'classes-train': {
    type: 'string',
    value: 'SPEC',
    help: "training classes, a range '0-4' or a list '0,2,4' (default 0-4);\nthe other classes are the unseen ones evaluated",
  },
  'embedding-dim': { type: 'string', value: 'D', help: 'embedding size (default 64)' },
  model: { type: 'string', value: 'mlp|cnn', help: 'embedder (default mlp)' },
  batch: {
    type: 'string',
    value: 'P,K',
    help: 'P classes x K samples per batch (default P = min(5, training\nclasses), K = 8)',
  },
  lr: { type: 'string', value: 'X', help: 'Adam learning rate (default 0.001)' },
  'train-limit': {
    type: 'string',
    value: 'N',
    help: 'training-split images to load before keeping the training classes (default 10000)',
  },
  'test-limit': {
    type: 'string',
    value: 'N',
    help: 'test-split images to load before keeping the unseen classes (default 2000)',
  },
  'eval-every': { type: 'string', value: 'N', help: 'evaluate on the unseen classes every N epochs (default 1)' },
  seed: { type: 'string', value: 'S', help: 'seed of the weights, batches and miners (default 0)' },
  progress: {
    type: 'string',
    value: 'MODE',
    help: 'auto | bar | lines | none (default auto); progress goes to stderr',
  },
  'no-plots': { type: 'boolean', help: 'skip the SVG/PNG plots' },
  out: {
    type: 'string',
    value: 'DIR',
    help: 'output directory (required): model/ (model.json + weights.bin, and\nmemory.json + memory.bin with --memory),\nhistory.json, metrics.json, training-curves.svg/.png,\nembedding-map.svg/.png, recall.svg/.png',
  },
} as const satisfies OptionSpecs;

/** A --loss-opt / --miner-opt value as the loss sees it. */
export type OptionValue = number | boolean | string;

export interface TrainArgs {
  dataset: 'fashion-mnist' | 'mnist' | 'glyphs';
  /** Where the dataset is (the loaders' search when undefined). */
  dataDir?: string;
  /** The loss factory's name (aliases resolved) and the options given with --loss-opt. */
  loss: string;
  lossOptions: Record<string, OptionValue>;
  /** The miner factory's name, or 'none', and the options given with --miner-opt. */
  miner: string;
  minerOptions: Record<string, OptionValue>;
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
 * The text of one --loss-opt / --miner-opt value: 'true'/'false' are booleans, anything
 * Number() reads as finite is a number, the rest a string ('semihard', 'meanNonZero').
 *
 * @example
 * parseOptionValue('0.1'); // 0.1
 * parseOptionValue('false'); // false
 */
export function parseOptionValue(text: string): OptionValue {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * KEY=VALUE pairs of `flag` into an options object, checked against the options `owner` (a loss
 * or miner factory) takes: a name it does not take, one that only code can set (a Distance) and
 * one that `metriclab train` sets itself are usage errors naming the flag. The values are left
 * to the factory's own checks.
 *
 * @example
 * parseKeyValues('--loss-opt', ['margin=0.1'], 'tripletMargin', { margin: 'number' }); // { margin: 0.1 }
 */
export function parseKeyValues(
  flag: string,
  pairs: readonly string[],
  owner: string,
  table: OptionTable,
): Record<string, OptionValue> {
  const settable = Object.keys(table).filter((k) => !(k in SET_BY_TRAIN) && table[k] !== 'object');
  const out: Record<string, OptionValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq) : '';
    if (!/^[A-Za-z_]\w*$/.test(key)) throw new UsageError(FN, flag, 'be KEY=VALUE', `'${pair}'`);
    if (key in SET_BY_TRAIN && key in table) {
      throw new UsageError(FN, flag, `leave ${key} to ${SET_BY_TRAIN[key]}`, `'${pair}'`);
    }
    if (!settable.includes(key)) {
      const known = settable.length ? settable.join(', ') : 'none from the command line';
      const why = table[key] === 'object' ? ` (${key} is set from code only)` : '';
      throw new UsageError(FN, flag, `name an option of ${owner}: ${known}`, `'${key}'${why}`);
    }
    if (key in out) throw new UsageError(FN, flag, `set ${key} once`, `'${pair}' after ${key}=${out[key]}`);
    out[key] = parseOptionValue(pair.slice(eq + 1));
  }
  return out;
}

/** The loss and miner options tables, loaded with the losses (tfjs) only when needed. */
async function optionTables(): Promise<{
  lossTables: Record<string, OptionTable>;
  minerTables: Record<string, OptionTable>;
}> {
  const { LOSS_OPTIONS } = await import('../losses/index.js');
  const { MINER_OPTIONS } = await import('../miners/index.js');
  return { lossTables: LOSS_OPTIONS, minerTables: MINER_OPTIONS };
}

/**
 * Parses and checks the command line of `metriclab train` (without running anything): every
 * option, the loss and miner names and their --loss-opt / --miner-opt names.
 *
 * @example
 * (await parseTrainArgs(['--classes-train', '0-2', '--out', 'runs/x'])).p; // 3: P defaults to min(5, classes)
 */
export async function parseTrainArgs(argv: string[]): Promise<TrainArgs> {
  return trainArgs(parseCommandLine(FN, TRAIN_OPTIONS, argv, false).values);
}

/** The checked arguments from the parsed option values. */
async function trainArgs(values: ParsedValues<typeof TRAIN_OPTIONS>): Promise<TrainArgs> {
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
  const { lossTables, minerTables } = await optionTables();
  const loss = values.loss ?? 'tripletMargin';
  // crossBatchMemory wraps a loss: it comes with --memory, not as a --loss.
  const lossName = checkOneOf(FN, '--loss', LOSS_ALIASES[loss] ?? loss, Object.keys(lossTables));
  const miner = values.miner ?? 'semiHard';
  const minerName = checkOneOf(FN, '--miner', MINER_ALIASES[miner] ?? miner, ['none', ...Object.keys(minerTables)]);
  if (minerName === 'none' && values['miner-opt']?.length) {
    fail(FN, '--miner-opt', 'come with a --miner', values['miner-opt'][0]);
  }
  return {
    dataset: checkOneOf(FN, '--dataset', values.dataset ?? 'fashion-mnist', [
      'fashion-mnist',
      'mnist',
      'glyphs',
    ] as const),
    dataDir: values['data-dir'],
    loss: lossName,
    lossOptions: parseKeyValues('--loss-opt', values['loss-opt'] ?? [], lossName, lossTables[lossName]),
    miner: minerName,
    minerOptions:
      minerName === 'none'
        ? {}
        : parseKeyValues('--miner-opt', values['miner-opt'] ?? [], minerName, minerTables[minerName]),
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

/**
 * The loss of the command line, made by its factory from --loss-opt (the factory validates
 * them). A class-weight loss needs the class count: pass it when known, or null to check the
 * options on a one-class stand-in (the caller disposes its weights).
 *
 * @example
 * const loss = await makeLoss(await parseTrainArgs(['--loss-opt', 'margin=0.1', '--out', 'x']), 5);
 */
export async function makeLoss(args: TrainArgs, numClasses: number | null): Promise<MetricLoss> {
  const { losses } = await import('../losses/index.js');
  const name = args.loss as keyof typeof losses;
  if (CLASS_WEIGHT_LOSSES.includes(name)) {
    const make = losses[name] as (o: object) => MetricLoss;
    const options = { ...args.lossOptions, numClasses: numClasses ?? 1, embeddingSize: args.embeddingDim };
    return make({ ...options, seed: args.seed });
  }
  return (losses[name] as (o?: object) => MetricLoss)(args.lossOptions);
}

/**
 * The miner of the command line (undefined for --miner none), made by its factory from
 * --miner-opt over the command's defaults (seed from --seed; tripletMargin mines semihard).
 *
 * @example
 * const miner = await makeMiner(await parseTrainArgs(['--miner', 'batchHard', '--out', 'x']));
 */
export async function makeMiner(args: TrainArgs): Promise<Miner | undefined> {
  if (args.miner === 'none') return undefined;
  const { miners, MINER_OPTIONS } = await import('../miners/index.js');
  const name = args.miner as keyof typeof MINER_OPTIONS;
  const table: OptionTable = MINER_OPTIONS[name];
  const seeded = 'seed' in table ? { seed: args.seed } : {};
  const defaults = MINER_DEFAULTS[name] ?? {};
  return (miners[name] as (o?: object) => Miner)({ ...defaults, ...seeded, ...args.minerOptions });
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
    const trainSet = await loadGlyphs({ split: 'background', limit: args.trainLimit, dataDir: args.dataDir });
    const testSet = await loadGlyphs({ split: 'evaluation', limit: args.testLimit, dataDir: args.dataDir });
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
  const trainAll = await loadDataset(args.dataset, { split: 'train', limit: args.trainLimit, dataDir: args.dataDir });
  const testAll = await loadDataset(args.dataset, { split: 'test', limit: args.testLimit, dataDir: args.dataDir });
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

/** The options of each loss and miner, for --help: `tripletMargin  margin (number), ...`. */
function optionListing(title: string, tables: Record<string, OptionTable>, extra: string[] = []): string {
  const rows = Object.entries(tables).map(([name, table]) => {
    const settable = Object.entries(table).filter(([k, kind]) => !(k in SET_BY_TRAIN) && kind !== 'object');
    const listed = settable.map(([k, kind]) => `${k} (${typeof kind === 'string' ? kind : kind.join('|')})`).join(', ');
    return `  ${name.padEnd(22)}${listed || '(none from the command line)'}`;
  });
  return [title, ...extra, ...rows].join('\n');
}

async function epilog(): Promise<string> {
  const { lossTables, minerTables } = await optionTables();
  return [
    optionListing('Losses (--loss) and the options --loss-opt can set:', lossTables),
    '',
    optionListing('Miners (--miner) and the options --miner-opt can set:', minerTables, [
      `  ${'none'.padEnd(22)}no miner: the loss uses every pair or triplet of the batch`,
    ]),
    '',
    'numClasses and embeddingSize come from the training classes and --embedding-dim, seed from --seed;',
    'Distance options are set from code only. tripletMargin as a miner defaults to type=semihard.',
    '',
    'Example:',
    '  metriclab train --dataset fashion-mnist --loss tripletMargin --loss-opt margin=0.1 \\',
    '    --miner semiHard --epochs 5 --classes-train 0-4 --out runs/triplet',
  ].join('\n');
}

async function run(args: TrainArgs, io: CliIo): Promise<void> {
  const info = await ready();
  // The loss and the miner first, from their options: a bad --loss-opt or --miner-opt stops
  // here, before any data is read. A class-weight loss needs the class count; on glyphs that
  // comes with the data, so its options are checked on a one-class stand-in, made again below.
  const knownClasses = args.dataset === 'glyphs' ? null : Math.max(...args.classesTrain) + 1;
  const standIn = knownClasses === null && CLASS_WEIGHT_LOSSES.includes(args.loss);
  const made = await withMemory(args, await makeLoss(args, knownClasses), await makeMiner(args));
  if (standIn) tf.dispose(made.loss.trainableWeights?.() ?? []);

  const { trainSet, testSet, numClasses, unseenClasses, trainedOn, unseenOn } = await trainTestSets(args);
  const { PKSampler } = await import('../samplers/index.js');
  const { mlpEmbedder, cnnEmbedder, saveModel, embed } = await import('../models/index.js');
  const { saveMemory } = await import('../losses/index.js');
  const { train, retrievalEvaluation, retrievalMetricsFn, createProgress } = await import('../train/index.js');
  io.err(`${args.dataset} from ${trainSet.source}: ${trainedOn}; ${unseenOn}; backend ${info.backend}\n`);
  const { miner, memory } = made;
  const loss = standIn ? await makeLoss(args, numClasses) : made.loss;

  const head = { embeddingDim: args.embeddingDim, seed: args.seed };
  const model =
    args.model === 'mlp' ? mlpEmbedder({ inputShape: [28, 28, 1], hidden: [256], ...head }) : cnnEmbedder(head);
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
    // Progress goes to stderr, so stdout holds only the results.
    progress: createProgress(args.progress, {
      write: (t) => io.err(t),
      isTTY: io === processIo && !!process.stderr.isTTY,
    }),
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
  io.out(
    `unseen-class Recall@1: trained ${final.recallAt1?.toFixed(4)}, untrained ${history.initialMetrics?.recallAt1?.toFixed(4)}, ` +
      `raw pixels ${rawPixels.recallAt1.toFixed(4)}; MAP@R trained ${final.mapAtR?.toFixed(4)}\n`,
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
  io.out(`wrote ${args.out}\n`);
}

/** `metriclab train`, made by the CLI harness from TRAIN_OPTIONS. */
export const command = defineCommand({
  name: 'train',
  summary: 'train an embedder on some classes and evaluate retrieval on the unseen ones',
  synopsis: '[options]',
  description: 'Trains an embedder on some classes and evaluates retrieval on the others (unseen classes).',
  options: TRAIN_OPTIONS,
  epilog,
  async run({ values }, io) {
    await run(await trainArgs(values), io);
    return 0;
  },
});
