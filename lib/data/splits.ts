/**
 * Index-level splits of a labelled dataset: random train/test (optionally stratified),
 * class-disjoint (train on classes A, test on unseen classes B: the metric-learning protocol of
 * CUB/Cars/SOP), and query/gallery splits of a test set for retrieval. They work on label arrays
 * and return sorted index arrays; `subsetDataset` gathers the images.
 */
import * as tf from '../tf';
import { toRandom, type SeedLike } from '../random';
import type { ImageDataset, LabelsLike } from '../types';
import { checkNumber, fail, labelsToArray } from '../validate';

/** Two disjoint, sorted index sets that together cover the input. */
export interface TrainTestIndices {
  train: Int32Array;
  test: Int32Array;
}

/** Query and gallery indices of a retrieval evaluation (disjoint, sorted). */
export interface QueryGalleryIndices {
  query: Int32Array;
  gallery: Int32Array;
}

/** Indices grouped by label value, each group in ascending order. */
export function indicesByClass(labels: ArrayLike<number>): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const g = groups.get(labels[i]);
    if (g) g.push(i);
    else groups.set(labels[i], [i]);
  }
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

function sorted(values: number[]): Int32Array {
  return Int32Array.from(values).sort();
}

/**
 * Random train/test split by seed. `stratified` keeps each class's proportion (each class gives
 * round(testFraction × its size) test samples).
 *
 * @example
 * const { train, test } = randomSplit(ds.labels, { testFraction: 0.2, seed: 1, stratified: true });
 */
export function randomSplit(
  labels: LabelsLike,
  { testFraction, seed, stratified = false }: { testFraction: number; seed: SeedLike; stratified?: boolean },
): TrainTestIndices {
  const fn = 'randomSplit';
  const y = labelsToArray(fn, labels);
  checkNumber(fn, 'testFraction', testFraction, { min: 0, max: 1 });
  const rng = toRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  const groups = stratified ? [...indicesByClass(y).values()] : [Array.from(y, (_, i) => i)];
  for (const group of groups) {
    rng.shuffle(group);
    const nTest = Math.round(testFraction * group.length);
    test.push(...group.slice(0, nTest));
    train.push(...group.slice(nTest));
  }
  return { train: sorted(train), test: sorted(test) };
}

/**
 * Class-disjoint split: every sample of `trainClasses` goes to train, every sample of
 * `testClasses` to test, others nowhere. Overlapping class lists are refused, so no class leaks.
 * With `testClassCount` instead, the highest-numbered classes are held out (e.g. 5 → 0-4 vs 5-9),
 * or a seeded random choice of classes when `seed` is given.
 *
 * @example
 * const { train, test } = classDisjointSplit(ds.labels, { trainClasses: [0, 1, 2, 3, 4], testClasses: [5, 6, 7, 8, 9] });
 * const seen = classDisjointSplit(ds.labels, { testClassCount: 5 }); // the same split
 */
export function classDisjointSplit(
  labels: LabelsLike,
  opts:
    { trainClasses: readonly number[]; testClasses: readonly number[] } | { testClassCount: number; seed?: SeedLike },
): TrainTestIndices & { trainClasses: number[]; testClasses: number[] } {
  const fn = 'classDisjointSplit';
  const y = labelsToArray(fn, labels);
  const present = [...indicesByClass(y).keys()];
  let trainClasses: number[];
  let testClasses: number[];
  if ('testClassCount' in opts) {
    checkNumber(fn, 'testClassCount', opts.testClassCount, { min: 1, max: present.length - 1, integer: true });
    const order = opts.seed === undefined ? present : toRandom(opts.seed).shuffle([...present]);
    testClasses = order.slice(order.length - opts.testClassCount).sort((a, b) => a - b);
    trainClasses = present.filter((c) => !testClasses.includes(c));
  } else {
    trainClasses = [...opts.trainClasses];
    testClasses = [...opts.testClasses];
    const shared = trainClasses.filter((c) => testClasses.includes(c));
    if (shared.length) fail(fn, 'testClasses', 'share no class with trainClasses', `[${shared.join(', ')}] in both`);
    for (const [arg, list] of [
      ['trainClasses', trainClasses],
      ['testClasses', testClasses],
    ] as const) {
      if (list.length === 0) fail(fn, arg, 'name at least one class', '[]');
      const missing = list.filter((c) => !present.includes(c));
      if (missing.length)
        fail(fn, arg, `name classes present in labels (${present.join(', ')})`, `[${missing.join(', ')}]`);
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (trainClasses.includes(y[i])) train.push(i);
    else if (testClasses.includes(y[i])) test.push(i);
  }
  return { train: sorted(train), test: sorted(test), trainClasses, testClasses };
}

/**
 * Query/gallery split of a test set, per class and seeded: each class gives `queriesPerClass`
 * queries (or round(queryFraction × size), at least 1), and always keeps at least one gallery
 * sample, so every query has a true match to retrieve.
 *
 * @example
 * const { query, gallery } = queryGallerySplit(testLabels, { queriesPerClass: 10, seed: 3 });
 */
export function queryGallerySplit(
  labels: LabelsLike,
  opts: { seed: SeedLike } & ({ queriesPerClass: number } | { queryFraction: number }),
): QueryGalleryIndices {
  const fn = 'queryGallerySplit';
  const y = labelsToArray(fn, labels);
  if ('queriesPerClass' in opts) checkNumber(fn, 'queriesPerClass', opts.queriesPerClass, { min: 1, integer: true });
  else checkNumber(fn, 'queryFraction', opts.queryFraction, { min: 0, max: 1, minExclusive: true });
  const rng = toRandom(opts.seed);
  const query: number[] = [];
  const gallery: number[] = [];
  for (const [label, group] of indicesByClass(y)) {
    if (group.length < 2) {
      fail(fn, 'labels', 'have at least 2 samples per class (one query, one gallery)', `1 sample of class ${label}`);
    }
    const wanted =
      'queriesPerClass' in opts ? opts.queriesPerClass : Math.max(1, Math.round(opts.queryFraction * group.length));
    const nq = Math.min(wanted, group.length - 1);
    rng.shuffle(group);
    query.push(...group.slice(0, nq));
    gallery.push(...group.slice(nq));
  }
  return { query: sorted(query), gallery: sorted(gallery) };
}

/**
 * The samples at `indices` as a new dataset (new tensors; the input is untouched). Works for
 * image tensors of any rank whose first axis is the sample.
 *
 * @example
 * const { train } = classDisjointSplit(ds.labels, { testClassCount: 5 });
 * const seen = subsetDataset(ds, train);
 */
export function subsetDataset<D extends Omit<ImageDataset, 'images'> & { images: tf.Tensor }>(
  dataset: D,
  indices: ArrayLike<number>,
): D {
  const fn = 'subsetDataset';
  const n = dataset.labels.length;
  const idx = Int32Array.from(indices);
  for (let i = 0; i < idx.length; i++) {
    if (!Number.isInteger(indices[i]) || idx[i] < 0 || idx[i] >= n) {
      fail(fn, 'indices', `be integers in [0, ${n})`, `${indices[i]} at position ${i}`);
    }
  }
  // The gathered tensor has the input's rank, so it has the same tensor type.
  const images = tf.tidy(() => tf.gather(dataset.images, tf.tensor1d(idx, 'int32'))) as D['images'];
  return { ...dataset, images, labels: idx.map((i) => dataset.labels[i]) };
}
