/**
 * N-way K-shot episodes (Vinyals et al. 2016, "Matching Networks"; Snell et al. 2017): N classes
 * drawn without replacement, and from each class K support items and Q query items, all distinct.
 * A few-shot classifier sees the support items with their labels and must name the class of each
 * query among the N. Episode i is drawn from a stream forked from the seed and i, so it is the
 * same whichever other episodes were drawn, and every method scored on the same seed meets the
 * same episodes (a paired comparison).
 */
import { toRandom, type Random, type SeedLike } from '../random';
import type { LabelsLike } from '../types';
import { fail } from '../validate';
import { groupByClass, positiveInt, samplerLabels } from './common';

export interface EpisodeSamplerOptions {
  /** The pool the episodes index into (e.g. the labels of the test classes' images). */
  labels: LabelsLike;
  /** N: classes per episode (at least 2). */
  ways: number;
  /** K: labelled support items per class. */
  shots: number;
  /** Q: query items per class. */
  queries: number;
  seed: SeedLike;
}

/** One episode: indices into the pool, and labels as way numbers 0..N-1 (`classes[way]` is the pool label). */
export interface Episode {
  /** The N pool classes, in way order. */
  classes: number[];
  /** N·K pool indices, way by way. */
  support: Int32Array;
  supportWays: Int32Array;
  /** N·Q pool indices, way by way. */
  query: Int32Array;
  queryWays: Int32Array;
}

/**
 * Makes seeded N-way K-shot Q-query episodes from a labelled pool. Every class of the pool needs
 * at least K + Q items (a class that cannot fill an episode is an error, not silently skipped).
 *
 * @example
 * const sampler = new EpisodeSampler({ labels: [0, 0, 0, 1, 1, 1, 2, 2, 2], ways: 2, shots: 1, queries: 2, seed: 1 });
 * const e = sampler.episode(0);
 * e.classes;   // e.g. [2, 0]
 * e.support;   // 2 pool indices: one item of each class
 * e.queryWays; // Int32Array [0, 0, 1, 1]
 * sampler.episodes(100); // episodes 0..99
 */
export class EpisodeSampler {
  readonly ways: number;
  readonly shots: number;
  readonly queries: number;
  /** The pool's classes, ascending. */
  readonly classes: number[];
  private readonly members: Int32Array[];
  private readonly seed: SeedLike;

  constructor(opts: EpisodeSamplerOptions) {
    const fn = 'EpisodeSampler';
    const labels = samplerLabels(fn, opts?.labels);
    this.ways = positiveInt(fn, 'ways', opts.ways);
    this.shots = positiveInt(fn, 'shots', opts.shots);
    this.queries = positiveInt(fn, 'queries', opts.queries);
    ({ classes: this.classes, members: this.members } = groupByClass(labels));
    if (this.ways < 2) fail(fn, 'ways', 'be at least 2 (a 1-way episode is always right)', this.ways);
    if (this.ways > this.classes.length) {
      fail(fn, 'ways', `be at most the number of classes in labels (${this.classes.length})`, this.ways);
    }
    const need = this.shots + this.queries;
    const small = this.classes.map((c, i) => ({ c, n: this.members[i].length })).filter((x) => x.n < need);
    if (small.length > 0) {
      const shown = small.slice(0, 5).map((x) => `class ${x.c} with ${x.n}`);
      const more = small.length > 5 ? ` and ${small.length - 5} more` : '';
      fail(fn, 'labels', `have at least shots + queries = ${need} items in every class`, shown.join(', ') + more);
    }
    this.seed = opts.seed;
  }

  /** Episode number `index` (any non-negative integer). */
  episode(index: number): Episode {
    const fn = 'EpisodeSampler.episode';
    if (!Number.isInteger(index) || index < 0) fail(fn, 'index', 'be a non-negative integer', index);
    const rng = toRandom(this.seed).fork(`episode:${index}`);
    const picked = partialShuffle(rng, Int32Array.from(this.classes.keys()), this.ways);
    const support = new Int32Array(this.ways * this.shots);
    const query = new Int32Array(this.ways * this.queries);
    picked.forEach((ci, way) => {
      const items = partialShuffle(rng, Int32Array.from(this.members[ci]), this.shots + this.queries);
      support.set(items.subarray(0, this.shots), way * this.shots);
      query.set(items.subarray(this.shots), way * this.queries);
    });
    const ways = (per: number): Int32Array =>
      Int32Array.from({ length: this.ways * per }, (_, i) => Math.floor(i / per));
    return {
      classes: Array.from(picked, (ci) => this.classes[ci]),
      support,
      supportWays: ways(this.shots),
      query,
      queryWays: ways(this.queries),
    };
  }

  /** `count` consecutive episodes starting at `start` (default 0). */
  episodes(count: number, start = 0): Episode[] {
    const n = positiveInt('EpisodeSampler.episodes', 'count', count);
    return Array.from({ length: n }, (_, i) => this.episode(start + i));
  }
}

/** The first `k` entries of a uniform random permutation of `items` (Fisher-Yates, stopped early). */
function partialShuffle(rng: Random, items: Int32Array, k: number): Int32Array {
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(items.length - i);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items.subarray(0, k);
}
