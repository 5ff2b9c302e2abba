/**
 * Data preparation shared by the course notebooks: one dataset cut into training classes,
 * validation classes (early stopping, model choice) and test classes (the reported numbers),
 * plus the test images of the training classes ("seen"), as image tensors [N, 28, 28, 1].
 */
import * as tf from '../tf';
import { loadDataset, type DatasetName } from '../data/datasets';
import { checkNumber } from '../validate';
import { trainValTestClassSplit, type ClassSplitOptions } from './split';

/** Images and their labels. */
export interface LabelledImages {
  x: tf.Tensor4D;
  y: Int32Array;
}

export interface CourseData {
  name: DatasetName;
  classNames: string[];
  /** Where the files came from. */
  source: string;
  trainClasses: number[];
  validationClasses: number[];
  testClasses: number[];
  /** Training images (train file, training classes). */
  train: LabelledImages;
  /** Validation images (train file, validation classes): never trained on, never reported as the result. */
  validation: LabelledImages;
  /** Test images of the training classes (test file): how well the training classes are learned. */
  seen: LabelledImages;
  /** Test images of the test classes (test file): the open-set result. */
  test: LabelledImages;
}

export interface CourseDataOptions extends ClassSplitOptions {
  /** Folder to load from (e.g. SHIPPED_DATA_DIR for the quick profile); default: the search order. */
  dataDir?: string;
  /** Most training images kept (file order; the shipped files are shuffled). Default all. */
  trainImages?: number;
  /** Most images kept in each of validation, seen and test. Default all. */
  evalImages?: number;
}

function take(images: tf.Tensor4D, labels: Int32Array, indices: Int32Array, limit: number): LabelledImages {
  const idx = indices.slice(0, Math.min(limit, indices.length));
  return { x: tf.gather(images, idx), y: idx.map((i) => labels[i]) };
}

/**
 * Loads a dataset's train and test files and cuts them by class.
 *
 * @example
 * const d = await prepareCourseData('fashion-mnist', {
 *   trainClasses: [0, 1, 2, 3, 4], validationClasses: [5, 6], testClasses: [7, 8, 9],
 *   dataDir: SHIPPED_DATA_DIR, trainImages: 5000, evalImages: 1000,
 * });
 * d.test.x.shape; // [N, 28, 28, 1], classes 7-9 only
 * disposeCourseData(d);
 */
export async function prepareCourseData(name: DatasetName, options: CourseDataOptions): Promise<CourseData> {
  const fn = 'prepareCourseData';
  const limit = (arg: string, value: number | undefined): number =>
    value === undefined ? Infinity : checkNumber(fn, arg, value, { min: 1, integer: true });
  const trainImages = limit('trainImages', options.trainImages);
  const evalImages = limit('evalImages', options.evalImages);
  const trainFile = await loadDataset(name, { split: 'train', dataDir: options.dataDir });
  const testFile = await loadDataset(name, { split: 'test', dataDir: options.dataDir });
  try {
    const inTrainFile = trainValTestClassSplit(trainFile.labels, options);
    const inTestFile = trainValTestClassSplit(testFile.labels, options);
    return {
      name,
      classNames: trainFile.classNames,
      source: trainFile.source,
      trainClasses: inTrainFile.trainClasses,
      validationClasses: inTrainFile.validationClasses,
      testClasses: inTrainFile.testClasses,
      train: take(trainFile.images, trainFile.labels, inTrainFile.train, trainImages),
      validation: take(trainFile.images, trainFile.labels, inTrainFile.validation, evalImages),
      seen: take(testFile.images, testFile.labels, inTestFile.train, evalImages),
      test: take(testFile.images, testFile.labels, inTestFile.test, evalImages),
    };
  } finally {
    tf.dispose([trainFile.images, testFile.images]);
  }
}

/**
 * Releases the tensors of prepared course data.
 *
 * @example
 * disposeCourseData(d);
 */
export function disposeCourseData(data: CourseData): void {
  tf.dispose([data.train.x, data.validation.x, data.seen.x, data.test.x]);
}

/**
 * One-line description of the split for the notebook's log.
 *
 * @example
 * console.log(describeCourseData(d)); // 'fashion-mnist: train 5000 images of classes 0-4 (...) ...'
 */
export function describeCourseData(d: CourseData): string {
  const names = (classes: number[]): string => classes.map((c) => d.classNames[c] ?? String(c)).join(', ');
  return (
    `${d.name} (${d.source}): train ${d.train.y.length} images of classes [${names(d.trainClasses)}]; ` +
    `validation ${d.validation.y.length} images of [${names(d.validationClasses)}]; ` +
    `test ${d.test.y.length} images of [${names(d.testClasses)}] and ${d.seen.y.length} seen-class test images`
  );
}
