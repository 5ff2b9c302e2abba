/**
 * Few-shot classification accuracy of an embedding on N-way K-shot episodes (see EpisodeSampler):
 * each query is given the class of its nearest support item (1-NN) or of the nearest class
 * prototype, the mean of the class's K support embeddings (Snell et al. 2017). With K = 1 the two
 * are the same. Accuracy is averaged per episode; the interval is over episodes (one seed's
 * uncertainty from the finite number of episodes, not the spread over seeds).
 */
import * as tf from '../tf';
import type { Episode } from '../samplers/episode-sampler';
import { checkEmbeddings, checkOneOf, fail } from '../validate';
import { meanInterval, type IntervalOptions, type MeanInterval } from './compare';

export const FEW_SHOT_METHODS = ['nearest-neighbour', 'prototype'] as const;
/** 'nearest-neighbour': the class of the closest support item; 'prototype': of the closest class mean. */
export type FewShotMethod = (typeof FEW_SHOT_METHODS)[number];

export interface FewShotOptions extends IntervalOptions {
  /**
   * 'cosine' (default; the course's retrieval similarity; the prototype is the mean of the
   * unit-normalised support vectors) or 'euclidean' (squared Euclidean to the plain mean, Snell's).
   */
  distance?: 'cosine' | 'euclidean';
}

/** One method's accuracy: per episode, and their mean with an interval over episodes. */
export interface FewShotScore {
  /** Fraction of each episode's queries classified right. */
  perEpisode: number[];
  accuracy: MeanInterval;
}

/**
 * 1-NN and prototype accuracy of `embeddings` (the pool the episodes index into) on `episodes`.
 * Ties go to the lower way number.
 *
 * @example
 * const pool = embed(model, testImages);            // [N, D]
 * const episodes = new EpisodeSampler({ labels: testLabels, ways: 5, shots: 5, queries: 10, seed: 1 }).episodes(200);
 * const s = fewShotAccuracy(pool, episodes);
 * s.prototype.accuracy.text;           // e.g. '0.871 ± 0.012' (95% over 200 episodes)
 * s['nearest-neighbour'].accuracy.mean; // e.g. 0.842
 */
export function fewShotAccuracy(
  embeddings: tf.Tensor2D,
  episodes: readonly Episode[],
  options: FewShotOptions = {},
): Record<FewShotMethod, FewShotScore> {
  const fn = 'fewShotAccuracy';
  const n = checkEmbeddings(fn, embeddings);
  const d = embeddings.shape[1];
  const distance = checkOneOf(fn, 'distance', options.distance ?? 'cosine', ['cosine', 'euclidean'] as const);
  if (!Array.isArray(episodes) || episodes.length === 0) fail(fn, 'episodes', 'be a non-empty array', episodes);
  const rows = readRows(embeddings, n, d, distance === 'cosine');
  const perEpisode: Record<FewShotMethod, number[]> = { 'nearest-neighbour': [], prototype: [] };
  (episodes as readonly Episode[]).forEach((e: Episode, i: number) => {
    checkEpisode(fn, `episodes[${i}]`, e, n);
    const ways = e.classes.length;
    // Prototypes: the mean of each way's support rows (of the unit rows, under cosine).
    const protos = Array.from({ length: ways }, () => new Float64Array(d));
    const counts = new Float64Array(ways);
    e.support.forEach((s, j) => {
      const w = e.supportWays[j];
      counts[w]++;
      for (let k = 0; k < d; k++) protos[w][k] += rows[s][k];
    });
    protos.forEach((p, w) => p.forEach((v, k) => (p[k] = v / counts[w])));
    const score = distance === 'cosine' ? cosine : negSquaredEuclidean;
    let nnRight = 0;
    let protoRight = 0;
    e.query.forEach((q, j) => {
      const truth = e.queryWays[j];
      let best = -Infinity;
      let bestWay = -1;
      e.support.forEach((s, t) => {
        const v = score(rows[q], rows[s]);
        if (v > best) [best, bestWay] = [v, e.supportWays[t]];
      });
      if (bestWay === truth) nnRight++;
      best = -Infinity;
      protos.forEach((p, w) => {
        const v = score(rows[q], p);
        if (v > best) [best, bestWay] = [v, w];
      });
      if (bestWay === truth) protoRight++;
    });
    perEpisode['nearest-neighbour'].push(nnRight / e.query.length);
    perEpisode.prototype.push(protoRight / e.query.length);
  });
  const interval = { level: options.level, digits: options.digits };
  const scoreOf = (m: FewShotMethod): FewShotScore => ({
    perEpisode: perEpisode[m],
    accuracy: meanInterval(perEpisode[m], interval),
  });
  return { 'nearest-neighbour': scoreOf('nearest-neighbour'), prototype: scoreOf('prototype') };
}

/** The rows as plain arrays, unit-normalised for cosine (a zero row stays zero). */
function readRows(embeddings: tf.Tensor2D, n: number, d: number, unit: boolean): Float64Array[] {
  const flat = embeddings.dataSync();
  return Array.from({ length: n }, (_, i) => {
    const row = Float64Array.from(flat.subarray(i * d, (i + 1) * d));
    if (unit) {
      const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
      if (norm > 0) row.forEach((v, k) => (row[k] = v / norm));
    }
    return row;
  });
}

/** Dot product of unit rows divided by the second's norm: the cosine (prototypes are not unit). */
function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k] * b[k];
    nb += b[k] * b[k];
  }
  return nb > 0 ? dot / Math.sqrt(nb) : 0;
}

function negSquaredEuclidean(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return -s;
}

function checkEpisode(fn: string, arg: string, e: Episode, n: number): void {
  const ways = e?.classes?.length ?? 0;
  if (ways < 2) fail(fn, `${arg}.classes`, 'name at least 2 classes', ways);
  const parts: [string, Int32Array, Int32Array][] = [
    ['support', e.support, e.supportWays],
    ['query', e.query, e.queryWays],
  ];
  for (const [name, idx, w] of parts) {
    if (!(idx instanceof Int32Array) || !(w instanceof Int32Array) || idx.length === 0 || idx.length !== w.length) {
      fail(fn, `${arg}.${name}`, `be a non-empty Int32Array with one way per item (${name}Ways)`, idx?.length);
    }
    const badIndex = idx.find((v) => v < 0 || v >= n);
    if (badIndex !== undefined) fail(fn, `${arg}.${name}`, `index rows of embeddings (0..${n - 1})`, badIndex);
    const badWay = w.find((v) => v < 0 || v >= ways);
    if (badWay !== undefined) fail(fn, `${arg}.${name}Ways`, `be way numbers 0..${ways - 1}`, badWay);
  }
  const seen = new Set(e.supportWays);
  if (seen.size !== ways)
    fail(fn, `${arg}.supportWays`, `give every way (${ways}) a support item`, `${seen.size} ways`);
}
