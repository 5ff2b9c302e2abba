/**
 * What every sampler shares: checking its options, grouping labels by class, and the seeded
 * stream of one epoch (forked from the seed and the epoch number, so epoch 7 is the same whether
 * or not epochs 0-6 were drawn).
 */
import { toRandom, type Random, type SeedLike } from '../random';
import type { LabelsLike } from '../types';
import { checkNumber, fail, labelsToArray } from '../validate';

/** Labels as an Int32Array, refusing an empty dataset. */
export function samplerLabels(fn: string, labels: LabelsLike): Int32Array {
  const y = labelsToArray(fn, labels);
  if (y.length === 0) fail(fn, 'labels', 'contain at least one sample', 'an empty array');
  return y;
}

/** A positive integer option. */
export function positiveInt(fn: string, arg: string, value: unknown): number {
  return checkNumber(fn, arg, value, { min: 1, integer: true });
}

/** The epoch length: the caller's override if given (a positive integer), else `fallback`. */
export function epochLength(fn: string, override: number | undefined, fallback: number): number {
  return override === undefined ? fallback : positiveInt(fn, 'batchesPerEpoch', override);
}

/** The generator of one epoch. */
export function epochRandom(fn: string, seed: SeedLike, epochIndex: number): Random {
  checkNumber(fn, 'epochIndex', epochIndex, { min: 0, integer: true });
  return toRandom(seed).fork(`epoch:${epochIndex}`);
}

/** Class label -> its sample indices, ascending by label. */
export function groupByClass(labels: Int32Array): { classes: number[]; members: Int32Array[] } {
  const groups = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const g = groups.get(c);
    if (g) g.push(i);
    else groups.set(c, [i]);
  });
  const classes = [...groups.keys()].sort((a, b) => a - b);
  return { classes, members: classes.map((c) => Int32Array.from(groups.get(c)!)) };
}

/**
 * Uniform draws of "a sample of class c" and "a sample not of class c" in O(1), from the
 * samples sorted by class: the complement of a class is the sorted order minus its one block.
 */
export class ClassIndex {
  readonly classOf: Int32Array;
  private readonly order: Int32Array;
  private readonly start: Int32Array;
  private readonly size: Int32Array;
  /** Samples whose class has at least two members (valid anchors of a positive pair). */
  readonly anchors: Int32Array;
  readonly numClasses: number;

  constructor(labels: Int32Array) {
    const { members } = groupByClass(labels);
    this.numClasses = members.length;
    this.classOf = new Int32Array(labels.length);
    this.order = new Int32Array(labels.length);
    this.start = new Int32Array(members.length);
    this.size = new Int32Array(members.length);
    let at = 0;
    members.forEach((m, c) => {
      this.start[c] = at;
      this.size[c] = m.length;
      this.order.set(m, at);
      m.forEach((i) => (this.classOf[i] = c));
      at += m.length;
    });
    this.anchors = Int32Array.from(labels.keys()).filter((i) => this.size[this.classOf[i]] >= 2);
  }

  /** A sample of the same class as `i`, other than `i` (its class must have 2+ members). */
  positive(rng: Random, i: number): number {
    const c = this.classOf[i];
    const r = rng.int(this.size[c] - 1);
    const j = this.order[this.start[c] + r];
    // Skip i itself: draw among size-1 slots and shift past i's slot.
    return j === i ? this.order[this.start[c] + this.size[c] - 1] : j;
  }

  /** A sample of another class than `i`'s (there must be at least two classes). */
  negative(rng: Random, i: number): number {
    const c = this.classOf[i];
    const r = rng.int(this.order.length - this.size[c]);
    return this.order[r < this.start[c] ? r : r + this.size[c]];
  }
}

/** Maps dataset indices to positions in a batch, adding each distinct index once. */
export class BatchIndexer {
  private readonly positions = new Map<number, number>();
  private readonly list: number[] = [];

  /** The batch position of dataset index `i`. */
  add(i: number): number {
    let pos = this.positions.get(i);
    if (pos === undefined) {
      pos = this.list.length;
      this.positions.set(i, pos);
      this.list.push(i);
    }
    return pos;
  }

  /** The distinct dataset indices, in first-seen order. */
  indices(): Int32Array {
    return Int32Array.from(this.list);
  }
}

/** Checks a dataset can give positive and negative pairs. */
export function checkPairable(fn: string, index: ClassIndex): void {
  if (index.numClasses < 2) fail(fn, 'labels', 'contain at least 2 classes (for negatives)', index.numClasses);
  if (index.anchors.length === 0) fail(fn, 'labels', 'have a class with at least 2 samples (for positives)', 'none');
}
