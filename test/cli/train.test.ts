/**
 * `metriclab train` run in-process on a tiny MNIST subset: the files it writes, its help text,
 * its argument errors and the PK batch default.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { command, makeLoss, makeMiner, parseOptionValue, parseTrainArgs, TRAIN_OPTIONS } from '../../lib/cli/train';
import { classDisjointSplit, loadDataset, subsetDataset } from '../../lib/data';
import { embed, loadModel, MODEL_JSON, WEIGHTS_BIN } from '../../lib/models';
import { retrievalMetricsFn, type History } from '../../lib/train';
import { LOSS_OPTIONS, loadMemory, losses, MEMORY_JSON } from '../../lib/losses';
import { MINER_OPTIONS } from '../../lib/miners';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command with its output collected. */
async function runCli(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const TRAIN_CLASSES = [0, 1, 2, 3];
const UNSEEN_CLASSES = [4, 5, 6, 7, 8, 9];
const RECALL_KEYS = ['recallAt1', 'recallAt2', 'recallAt4', 'recallAt8'];

interface MetricsFile {
  trained: Record<string, number>;
  untrained: Record<string, number>;
  rawPixels: Record<string, number>;
  config: { p: number; k: number };
}

describe('metriclab train', function () {
  this.timeout(60000);
  let dir: string;
  let run: CliResult;

  before(async () => {
    await ready();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-cli-train-'));
    // 4 training classes and no --batch: P must default to 4, not 5.
    run = await runCli([
      ...['--dataset', 'mnist', '--epochs', '1', '--train-limit', '600', '--test-limit', '300'],
      ...['--classes-train', '0-3', '--model', 'mlp', '--embedding-dim', '16', '--progress', 'none'],
      ...['--seed', '3', '--out', dir],
    ]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and reports where it wrote', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /unseen-class Recall@1: trained 0\.\d{4}, untrained 0\.\d{4}, raw pixels 0\.\d{4}/);
    assert.match(run.stdout, new RegExp(`wrote ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('history.json has one step per PK batch of the training images (P = 4 classes x K = 8)', async () => {
    const all = await loadDataset('mnist', { split: 'train', limit: 600 });
    all.images.dispose();
    const n = all.labels.filter((c) => TRAIN_CLASSES.includes(c)).length;
    const history = JSON.parse(fs.readFileSync(path.join(dir, 'history.json'), 'utf8')) as History;
    assert.equal(history.steps.length, Math.ceil(n / (4 * 8)), `${n} training images`);
    assert.deepEqual(
      history.steps.map((s) => s.step),
      history.steps.map((_, i) => i),
    );
    assert.equal(history.epochs.length, 1);
    assert.equal(history.epochs[0].steps, history.steps.length);
    assert.ok(history.steps.every((s) => Number.isFinite(s.loss) && s.loss >= 0));
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as MetricsFile;
    assert.deepEqual([metrics.config.p, metrics.config.k], [4, 8]);
  });

  it('metrics.json has trained, untrained and raw-pixel retrieval numbers in [0, 1], Recall@K rising with K', () => {
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as MetricsFile;
    for (const which of ['trained', 'untrained', 'rawPixels'] as const) {
      const m = metrics[which];
      for (const key of [...RECALL_KEYS, 'mapAtR', 'rPrecision', 'precisionAt1']) {
        assert.ok(m[key] >= 0 && m[key] <= 1, `${which}.${key} = ${m[key]}`);
      }
      const recalls = RECALL_KEYS.map((k) => m[k]);
      recalls.slice(1).forEach((r, i) => assert.ok(r >= recalls[i], `${which} Recall@K: ${recalls.join(', ')}`));
    }
  });

  it('the saved model loads and reproduces the reported metrics on the unseen test images', async () => {
    assert.ok(fs.statSync(path.join(dir, 'model', WEIGHTS_BIN)).size > 0);
    assert.ok(fs.existsSync(path.join(dir, 'model', MODEL_JSON)));
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as MetricsFile;
    const testAll = await loadDataset('mnist', { split: 'test', limit: 300 });
    const split = classDisjointSplit(testAll.labels, { trainClasses: TRAIN_CLASSES, testClasses: UNSEEN_CLASSES });
    const unseen = subsetDataset(testAll, split.test);
    testAll.images.dispose();
    const model = await loadModel(path.join(dir, 'model'));
    const emb = embed(model, unseen.images);
    const fn = retrievalMetricsFn([1, 2, 4, 8]);
    const reproduced = await fn(emb, unseen.labels);
    const raw = await fn(unseen.images.reshape([unseen.labels.length, 784]) as tf.Tensor2D, unseen.labels);
    tf.dispose([emb, unseen.images]);
    model.dispose();
    assert.deepEqual(reproduced, metrics.trained);
    assert.deepEqual(raw, metrics.rawPixels);
    assert.notDeepEqual(metrics.trained, metrics.untrained, 'one epoch moved the embeddings');
  });

  it('writes the plots as SVG and PNG', () => {
    for (const name of ['training-curves', 'embedding-map', 'recall']) {
      assert.match(fs.readFileSync(path.join(dir, `${name}.svg`), 'utf8'), /^<svg[^>]*>.*<\/svg>\s*$/s, name);
      const png = fs.readFileSync(path.join(dir, `${name}.png`));
      assert.deepEqual(
        [...png.subarray(0, 8)],
        [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
        `${name}.png signature`,
      );
    }
  });

  it('--help documents every option it accepts', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    const names = Object.keys(TRAIN_OPTIONS);
    assert.ok(names.length >= 16);
    for (const name of [...names, 'help']) assert.match(stdout, new RegExp(`^  (-h, )?--${name}\\b`, 'm'), `--${name}`);
  });

  it('exits 2 naming a bad option or value, without training', async () => {
    const unknown = await runCli(['--bogus', '--out', dir]);
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      "Error in metriclab train: the option must be one that --help lists, but got '--bogus' (see metriclab train --help)\n",
    );
    const badModel = await runCli(['--model', 'rnn', '--out', dir]);
    assert.equal(badModel.code, 2);
    assert.match(badModel.stderr, /Error in metriclab train: --model must be one of 'mlp', 'cnn', but got "rnn"/);
    const noOut = await runCli(['--epochs', '1']);
    assert.equal(noOut.code, 2);
    assert.match(
      noOut.stderr,
      /Error in metriclab train: --out must be given \(the output directory\), but got nothing/,
    );
  });

  it('--batch defaults to P = min(5, training classes), K = 8; an explicit P above that is refused', async () => {
    const pk = async (...args: string[]) => {
      const a = await parseTrainArgs([...args, '--out', 'x']);
      return [a.p, a.k];
    };
    assert.deepEqual(await pk(), [5, 8]);
    assert.deepEqual(await pk('--classes-train', '0-8'), [5, 8]);
    assert.deepEqual(await pk('--classes-train', '0-2'), [3, 8]);
    assert.deepEqual(await pk('--classes-train', '7,9'), [2, 8]);
    assert.deepEqual(await pk('--classes-train', '0-2', '--batch', '2,16'), [2, 16]);
    await assert.rejects(
      pk('--classes-train', '0-2', '--batch', '4,4'),
      /Error in metriclab train: --batch P must be at most the number of training classes \(3\), but got 4/,
    );
    await assert.rejects(pk('--batch', '4'), /Error in metriclab train: --batch must be P,K .*, but got '4'/);
  });

  it('--memory N wraps the loss in a cross-batch memory, saved next to the model', async () => {
    const out = path.join(dir, 'xbm');
    const r = await runCli([
      ...['--dataset', 'mnist', '--epochs', '1', '--train-limit', '300', '--test-limit', '200', '--no-plots'],
      ...['--classes-train', '0-3', '--embedding-dim', '16', '--progress', 'none', '--seed', '3'],
      ...['--loss', 'contrastive', '--miner', 'multi-similarity', '--memory', '64', '--memory-warmup', '2'],
      ...['--out', out],
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(out, 'model', MEMORY_JSON)));
    const history = JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8')) as History;
    const memory = losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: 16, memorySize: 64 });
    await loadMemory(memory, path.join(out, 'model'));
    const state = memory.state();
    assert.equal(state.steps, history.steps.length);
    // Two warm-up steps write nothing; the other batches of 32 fill the memory.
    assert.equal(state.filled, Math.min(64, 32 * (history.steps.length - 2)));
    memory.dispose();
    const proxy = await runCli(['--loss', 'proxyNCA', '--memory', '64', '--out', out]);
    assert.equal(proxy.code, 2);
    assert.match(proxy.stderr, /Error in metriclab train: --loss must be a pair or triplet loss with --memory/);
    assert.deepEqual(
      [
        (await parseTrainArgs(['--memory', '1024', '--out', out])).memory,
        (await parseTrainArgs(['--out', out])).memory,
      ],
      [1024, 0],
    );
    const lone = await runCli(['--memory-warmup', '5', '--epochs', '1', '--out', out]);
    assert.equal(lone.code, 2);
    assert.match(lone.stderr, /--memory-warmup must come with --memory/);
  });
});

describe('metriclab train --loss-opt / --miner-opt', function () {
  this.timeout(60000);
  const missing = path.join(os.tmpdir(), 'metriclab-no-such-data-dir');
  before(() => ready());

  it('reads VALUE as a number, true/false, or else a string', () => {
    assert.deepEqual(['0.1', '-2', '1e-3', 'true', 'false', 'semihard', '', '0x', 'True'].map(parseOptionValue), [
      0.1,
      -2,
      0.001,
      true,
      false,
      'semihard',
      '',
      '0x',
      'True',
    ]);
  });

  it('hands the options to the factories, which keep them whole', async () => {
    const args = await parseTrainArgs([
      ...['--loss', 'tripletMargin', '--loss-opt', 'margin=0.05', '--loss-opt', 'swap=true'],
      ...['--miner', 'tripletMargin', '--miner-opt', 'margin=0.3', '--out', 'x'],
    ]);
    assert.deepEqual(args.lossOptions, { margin: 0.05, swap: true });
    const loss = (await makeLoss(args, 5)) as ReturnType<typeof losses.tripletMargin>;
    assert.equal(loss.options.margin, 0.05);
    assert.equal(loss.options.swap, true);
    assert.equal(loss.options.smoothLoss, false, 'an option not given keeps its default');
    const miner = (await makeMiner(args)) as unknown as { options: Record<string, unknown> };
    assert.equal(miner.options.margin, 0.3);
    assert.equal(miner.options.type, 'semihard', "the command's default type stays unless --miner-opt sets it");
    const hard = await parseTrainArgs(['--miner', 'tripletMargin', '--miner-opt', 'type=hard', '--out', 'x']);
    assert.equal(((await makeMiner(hard)) as unknown as { options: { type: string } }).options.type, 'hard');
    const dw = await parseTrainArgs(['--miner', 'distanceWeighted', '--seed', '7', '--out', 'x']);
    assert.equal(((await makeMiner(dw)) as unknown as { options: { seed: number } }).options.seed, 7);
    const before = tf.memory().numTensors;
    const proxy = await parseTrainArgs([
      '--loss',
      'proxyNCA',
      '--loss-opt',
      'softmaxScale=3',
      '--embedding-dim',
      '8',
      '--out',
      'x',
    ]);
    const proxyLoss = (await makeLoss(proxy, 4)) as ReturnType<typeof losses.proxyNCA> & { options: object };
    assert.deepEqual(
      { ...proxyLoss.options },
      { numClasses: 4, embeddingSize: 8, seed: 0, softmaxScale: 3, reduction: 'mean' },
    );
    tf.dispose(proxyLoss.trainableWeights());
    assert.equal(tf.memory().numTensors, before, 'the proxies are the only tensors');
  });

  it('with good options it goes on to read the data (here: a folder that does not exist)', async () => {
    const r = await runCli([
      ...[
        '--dataset',
        'mnist',
        '--data-dir',
        missing,
        '--loss-opt',
        'margin=0.1',
        '--miner-opt',
        'skipHardestNegatives=0.2',
      ],
      ...['--progress', 'none', '--no-plots', '--out', path.join(missing, 'out')],
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error in loadDataset: files must exist .*metriclab-no-such-data-dir/);
  });

  it('exits 2 with one line naming a bad loss or miner option, before any data is read', async () => {
    const cases: [string[], RegExp][] = [
      [['--loss-opt', 'margin=-1'], /^Error in tripletMargin: margin must be >= 0, but got -1 /],
      [
        ['--loss-opt', 'margn=0.1'],
        /^Error in metriclab train: --loss-opt must name an option of tripletMargin: margin, reduction, swap, smoothLoss, but got 'margn' /,
      ],
      [['--loss-opt', 'swap=yes'], /^Error in tripletMargin: swap must be true or false, but got 'yes' /],
      [
        ['--loss-opt', 'reduction=avg'],
        /^Error in tripletMargin: reduction must be one of 'mean', 'meanNonZero', 'sum', but got "avg" /,
      ],
      [
        ['--loss-opt', 'distance=cosine'],
        /--loss-opt must name an option of tripletMargin: .*, but got 'distance' \(distance is set from code only\)/,
      ],
      [['--loss-opt', 'margin'], /^Error in metriclab train: --loss-opt must be KEY=VALUE, but got 'margin' /],
      [['--loss-opt', 'margin=0.1', '--loss-opt', 'margin=0.2'], /--loss-opt must set margin once/],
      [
        ['--loss', 'proxyNCA', '--loss-opt', 'numClasses=3'],
        /--loss-opt must leave numClasses to the training classes/,
      ],
      [
        ['--loss', 'proxyNCA', '--loss-opt', 'softmaxScale=0'],
        /^Error in proxyNCA: softmaxScale must be > 0, but got 0 /,
      ],
      [
        ['--loss', 'nPairs', '--loss-opt', 'm=1'],
        /--loss-opt must name an option of nPairs: none from the command line, but got 'm'/,
      ],
      [
        ['--miner', 'tripletMargin', '--miner-opt', 'type=semi'],
        /^Error in tripletMarginMiner: type must be one of 'all', 'hard', 'semihard', 'easy', but got "semi" /,
      ],
      [
        ['--miner', 'batchHard', '--miner-opt', 'skipHardestNegatives=1'],
        /^Error in batchHard: skipHardestNegatives must be below 1/,
      ],
      [['--miner', 'distanceWeighted', '--miner-opt', 'seed=3'], /--miner-opt must leave seed to --seed/],
      [
        ['--miner', 'none', '--miner-opt', 'epsilon=1'],
        /^Error in metriclab train: --miner-opt must come with a --miner/,
      ],
      [['--loss', 'proxyNCA', '--memory', '64'], /--loss must be a pair or triplet loss with --memory/],
      // glyphs: the class count comes with the data, so the options are checked on a stand-in first.
      [
        ['--dataset', 'glyphs', '--loss', 'arcFace', '--loss-opt', 'scale=0'],
        /^Error in arcFace: scale must be > 0, but got 0 /,
      ],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli([
        ...(args.includes('--dataset') ? [] : ['--dataset', 'mnist']),
        ...['--data-dir', missing, '--progress', 'none', '--no-plots'],
        ...args,
        ...['--out', path.join(missing, 'out')],
      ]);
      const what = args.join(' ');
      assert.equal(r.code, 2, `${what}: ${r.stderr}`);
      assert.match(r.stderr, expected, what);
      assert.match(r.stderr, /\(see metriclab train --help\)\n$/, what);
      assert.equal(r.stderr.split('\n').length, 2, `${what}: one line`);
      assert.equal(r.stdout, '', what);
    }
  });

  it('--help lists every loss and miner with the options the command line can set, in the names errors use', async () => {
    const { stdout } = await runCli(['--help']);
    assert.match(
      stdout,
      /^ {2}tripletMargin +margin \(number\), reduction \(mean\|meanNonZero\|sum\), swap \(boolean\), smoothLoss \(boolean\)$/m,
    );
    assert.match(stdout, /^ {2}semiHard +skipHardestNegatives \(number\)$/m);
    assert.match(stdout, /^ {2}tripletMargin +margin \(number\), type \(all\|hard\|semihard\|easy\)$/m);
    assert.match(stdout, /^ {2}proxyNCA +softmaxScale \(number\), reduction \(mean\|meanNonZero\|sum\)$/m);
    const bad = await runCli(['--loss', 'triplett', '--out', 'x']);
    assert.equal(bad.code, 2);
    const listed = /must be one of (.*), but got/
      .exec(bad.stderr)![1]
      .split(', ')
      .map((n) => n.replace(/'/g, ''));
    assert.deepEqual(listed, Object.keys(LOSS_OPTIONS));
    for (const name of [...Object.keys(LOSS_OPTIONS), ...Object.keys(MINER_OPTIONS)])
      assert.match(stdout, new RegExp(`^  ${name} `, 'm'), name);
    const badMiner = await runCli(['--miner', 'hardest', '--out', 'x']);
    assert.match(
      badMiner.stderr,
      new RegExp(
        `must be one of 'none', ${Object.keys(MINER_OPTIONS)
          .map((n) => `'${n}'`)
          .join(', ')}, but got "hardest"`,
      ),
    );
  });
});
