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
import { command, parseTrainArgs, TRAIN_OPTIONS } from '../../lib/cli/train';
import { classDisjointSplit, loadDataset, subsetDataset } from '../../lib/data';
import { embed, loadModel, MODEL_JSON, WEIGHTS_BIN } from '../../lib/models';
import { retrievalMetricsFn, type History } from '../../lib/train';
import { loadMemory, losses, MEMORY_JSON } from '../../lib/losses';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command with console output captured (and restored even if it throws). */
async function runCli(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => void err.push(parts.join(' '));
  try {
    const code = await command.run(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
  }
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
    assert.match(unknown.stderr, /Unknown option '--bogus'/);
    assert.match(unknown.stderr, /Run `metriclab train --help` for the options\./);
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

  it('--batch defaults to P = min(5, training classes), K = 8; an explicit P above that is refused', () => {
    const pk = (...args: string[]) => {
      const a = parseTrainArgs([...args, '--out', 'x']);
      return [a.p, a.k];
    };
    assert.deepEqual(pk(), [5, 8]);
    assert.deepEqual(pk('--classes-train', '0-8'), [5, 8]);
    assert.deepEqual(pk('--classes-train', '0-2'), [3, 8]);
    assert.deepEqual(pk('--classes-train', '7,9'), [2, 8]);
    assert.deepEqual(pk('--classes-train', '0-2', '--batch', '2,16'), [2, 16]);
    assert.throws(
      () => pk('--classes-train', '0-2', '--batch', '4,4'),
      /Error in metriclab train: --batch P must be at most the number of training classes \(3\), but got 4/,
    );
    assert.throws(() => pk('--batch', '4'), /Error in metriclab train: --batch must be P,K .*, but got '4'/);
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
      [parseTrainArgs(['--memory', '1024', '--out', out]).memory, parseTrainArgs(['--out', out]).memory],
      [1024, 0],
    );
    const lone = await runCli(['--memory-warmup', '5', '--epochs', '1', '--out', out]);
    assert.equal(lone.code, 2);
    assert.match(lone.stderr, /--memory-warmup must come with --memory/);
  });
});
