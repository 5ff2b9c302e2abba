/**
 * The course's three-way class-disjoint split (Musgrave et al. 2020): training classes, validation
 * classes for early stopping and model choice, and test classes that nothing looked at before
 * the final numbers.
 */
import type { LabelsLike } from '../types';
import { fail, labelsToArray } from '../validate';
import { indicesByClass } from '../data/splits';

/** Sorted indices of each part and the classes that went into it. */
export interface ClassSplit {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  trainClasses: number[];
  validationClasses: number[];
  testClasses: number[];
}

export interface ClassSplitOptions {
  trainClasses: readonly number[];
  /** At least 2 classes: retrieval among the images of a single class is always right. */
  validationClasses: readonly number[];
  testClasses: readonly number[];
}

/**
 * Splits sample indices by class into train / validation / test; the three class lists must be
 * disjoint and present in `labels`. Samples of classes in no list are left out.
 *
 * @example
 * const s = trainValTestClassSplit(ds.labels, { trainClasses: [0, 1, 2, 3, 4], validationClasses: [5, 6], testClasses: [7, 8, 9] });
 * s.validation; // indices of the images of classes 5 and 6
 */
export function trainValTestClassSplit(labels: LabelsLike, options: ClassSplitOptions): ClassSplit {
  const fn = 'trainValTestClassSplit';
  const y = labelsToArray(fn, labels);
  const present = new Set(indicesByClass(y).keys());
  const lists = {
    trainClasses: options?.trainClasses,
    validationClasses: options?.validationClasses,
    testClasses: options?.testClasses,
  };
  const owner = new Map<number, string>();
  for (const [arg, list] of Object.entries(lists)) {
    if (!Array.isArray(list) || list.length === 0) fail(fn, arg, 'be a non-empty array of class labels', list);
    if (arg === 'validationClasses' && list.length < 2)
      fail(fn, arg, 'name at least 2 classes (retrieval within one class is always right)', `[${list.join(', ')}]`);
    for (const c of list) {
      if (!present.has(c)) fail(fn, arg, `name classes present in labels (${[...present].join(', ')})`, c);
      const other = owner.get(c);
      if (other !== undefined) fail(fn, arg, `share no class with ${other}`, `class ${c} in both`);
      owner.set(c, arg);
    }
  }
  const parts: Record<string, number[]> = { trainClasses: [], validationClasses: [], testClasses: [] };
  y.forEach((label, i) => {
    const part = owner.get(label);
    if (part !== undefined) parts[part].push(i);
  });
  const sorted = (list: readonly number[]): number[] => [...list].sort((a, b) => a - b);
  return {
    train: Int32Array.from(parts.trainClasses),
    validation: Int32Array.from(parts.validationClasses),
    test: Int32Array.from(parts.testClasses),
    trainClasses: sorted(lists.trainClasses),
    validationClasses: sorted(lists.validationClasses),
    testClasses: sorted(lists.testClasses),
  };
}
