/**
 * MNIST and Fashion-MNIST loaders. Files are looked for in METRICLAB_DATA_DIR/<name>, then
 * /usr/share/datasets/<name> (Debian's full 60k + 10k), then the repository's data/<name>
 * (compact real subsets, see data/PROVENANCE.md). The result says which directory was used.
 */
import * as tf from '../tf';
import { ready } from '../backend';
import type { ImageDataset } from '../types';
import { checkNumber, checkOneOf, fail } from '../validate';
import { IdxFormatError, readIdx } from './idx';
import { dataDirectories, locateDataset, type FilePart } from './locate';

export const DATASET_NAMES = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const SPLITS = ['train', 'test', 'all'] as const;
/** 'train' and 'test' are the files' own halves; 'all' is train followed by test. */
export type SplitName = (typeof SPLITS)[number];

/** The digit names 0..9. */
export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Zalando's class names, in label order. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const CLASS_NAMES: Record<DatasetName, readonly string[]> = {
  mnist: MNIST_CLASS_NAMES,
  'fashion-mnist': FASHION_MNIST_CLASS_NAMES,
};

export interface LoadOptions {
  /** Which half; default 'train'. */
  split?: SplitName;
  /** Keep only the first `limit` images (file order; the shipped files are already shuffled). */
  limit?: number;
  /** Images as [N, 784] instead of [N, 28, 28, 1]. */
  flat?: boolean;
  /** Look only here (its `<name>/` subfolder or the folder itself) instead of the search order. */
  dataDir?: string;
}

/** Fields every loaded dataset has besides its images. */
export interface LoadedInfo {
  split: SplitName;
  /** Why `source` was searched: 'METRICLAB_DATA_DIR', 'debian', 'shipped' or 'dataDir option'. */
  origin: string;
}

/** A dataset loaded with images [N, 28, 28, 1]. */
export type LoadedDataset = ImageDataset & LoadedInfo;

/** A dataset loaded with `flat: true`: images [N, 784]. */
export type FlatImageDataset = Omit<ImageDataset, 'images'> & LoadedInfo & { images: tf.Tensor2D };

const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

function partsFor(split: SplitName): FilePart[] {
  switch (split) {
    case 'train':
      return ['train'];
    case 'test':
      return ['t10k'];
    case 'all':
      return ['train', 't10k'];
  }
}

/** Reads and checks one part's image and label files; throws before anything is kept. */
function readPart(images: string, labels: string, numClasses: number): { pixels: Uint8Array; labels: Uint8Array } {
  const img = readIdx(images);
  const lab = readIdx(labels);
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== IMAGE_SIZE || img.shape[2] !== IMAGE_SIZE) {
    throw new IdxFormatError(images, `expected uint8 images [N,28,28], but got ${img.dtype} [${img.shape.join(',')}]`);
  }
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1) {
    throw new IdxFormatError(labels, `expected uint8 labels [N], but got ${lab.dtype} [${lab.shape.join(',')}]`);
  }
  if (lab.shape[0] !== img.shape[0]) {
    throw new IdxFormatError(labels, `has ${lab.shape[0]} labels but ${images} has ${img.shape[0]} images`);
  }
  const data = lab.data as Uint8Array;
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= numClasses)
      throw new IdxFormatError(labels, `label ${data[i]} at index ${i} is not below ${numClasses}`);
  }
  return { pixels: img.data as Uint8Array, labels: data };
}

/**
 * Loads one of the built-in datasets; `loadMnist` and `loadFashionMnist` are the usual entries.
 *
 * @example
 * const ds = await loadDataset('fashion-mnist', { split: 'test', limit: 1000 });
 * ds.images.shape; // [1000, 28, 28, 1]
 */
export async function loadDataset(name: DatasetName, opts: LoadOptions & { flat: true }): Promise<FlatImageDataset>;
export async function loadDataset(name: DatasetName, opts?: LoadOptions & { flat?: false }): Promise<LoadedDataset>;
export async function loadDataset(name: DatasetName, opts?: LoadOptions): Promise<LoadedDataset | FlatImageDataset>;
export async function loadDataset(
  name: DatasetName,
  opts: LoadOptions = {},
): Promise<LoadedDataset | FlatImageDataset> {
  const fn = 'loadDataset';
  checkOneOf(fn, 'name', name, DATASET_NAMES);
  const split = checkOneOf(fn, 'split', opts.split ?? 'train', SPLITS);
  if (opts.limit !== undefined) checkNumber(fn, 'limit', opts.limit, { min: 1, integer: true });
  const parts = partsFor(split);
  const location = locateDataset(name, parts, opts.dataDir);
  if (!location) {
    const searched = opts.dataDir ? [opts.dataDir] : dataDirectories().map((d) => `${d.path}/${name}`);
    fail(
      fn,
      'files',
      `exist for ${name} (${parts.join(' and ')} images and labels, .gz or raw) in one of ${searched.join(', ')}`,
      'none found',
    );
  }
  const classNames = CLASS_NAMES[name];
  const read = parts.map((p) => {
    const f = location.files[p]!;
    return readPart(f.images, f.labels, classNames.length);
  });
  const total = read.reduce((s, r) => s + r.labels.length, 0);
  const n = Math.min(total, opts.limit ?? total);
  // Decode uint8 -> float32 once, straight into the tensor's backing array.
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let at = 0;
  for (const r of read) {
    const take = Math.min(r.labels.length, n - at);
    for (let i = 0; i < take * PIXELS; i++) pixels[at * PIXELS + i] = r.pixels[i] / 255;
    for (let i = 0; i < take; i++) labels[at + i] = r.labels[i];
    at += take;
  }
  await ready();
  const info = { labels, classNames: [...classNames], name, source: location.dir, split, origin: location.origin };
  if (opts.flat) return { ...info, images: tf.tensor2d(pixels, [n, PIXELS]) };
  return { ...info, images: tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1]) };
}

/**
 * MNIST digits: the full dataset when METRICLAB_DATA_DIR or /usr/share/datasets has it, else the
 * 10,000 real digits shipped in data/mnist (8,000 train / 2,000 test, see data/PROVENANCE.md).
 *
 * @example
 * const train = await loadMnist({ split: 'train' });
 * console.log(train.images.shape, train.source);
 */
export function loadMnist(opts: LoadOptions & { flat: true }): Promise<FlatImageDataset>;
export function loadMnist(opts?: LoadOptions & { flat?: false }): Promise<LoadedDataset>;
export function loadMnist(opts: LoadOptions = {}): Promise<LoadedDataset | FlatImageDataset> {
  return loadDataset('mnist', opts);
}

/**
 * Fashion-MNIST: Debian's full 60k/10k when installed, else data/fashion-mnist (the full
 * 10,000-image test set and a class-balanced 10,000-image subset of train).
 *
 * @example
 * const test = await loadFashionMnist({ split: 'test', flat: true });
 * test.images.shape; // [10000, 784]
 */
export function loadFashionMnist(opts: LoadOptions & { flat: true }): Promise<FlatImageDataset>;
export function loadFashionMnist(opts?: LoadOptions & { flat?: false }): Promise<LoadedDataset>;
export function loadFashionMnist(opts: LoadOptions = {}): Promise<LoadedDataset | FlatImageDataset> {
  return loadDataset('fashion-mnist', opts);
}
