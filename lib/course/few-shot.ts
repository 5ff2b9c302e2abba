/**
 * Few-shot rows of the course: an embedding's N-way K-shot accuracy on a pool of images of
 * classes never seen in training, for several K, with the 1-NN and the prototype classifier
 * (lib/eval/few-shot.ts). The episodes are seeded by the run's seed, so every method of a seed
 * meets the same episodes and methods pair up seed by seed, like the retrieval rows.
 */
import * as tf from '../tf';
import { fewShotAccuracy, FEW_SHOT_METHODS, type FewShotMethod } from '../eval/few-shot';
import { EpisodeSampler } from '../samplers/episode-sampler';
import { checkNumber, fail } from '../validate';
import type { LabelledImages } from './data';
import type { EmbedFn } from './retrieval';

/** One few-shot task: a pool of unseen-class images and the episode sizes drawn from it. */
export interface FewShotProbe {
  name: string;
  pool: LabelledImages;
  /** N: classes per episode. */
  ways: number;
  /** The K values, e.g. [1, 5, 10]. */
  shots: readonly number[];
  /** Q: queries per class. */
  queries: number;
  /** Episodes per K. */
  episodes: number;
  /** 'cosine' (default) or 'euclidean' (squared, Snell's); see fewShotAccuracy. */
  distance?: 'cosine' | 'euclidean';
}

/** A method's accuracy for one seed, probe, K and classifier, with its interval over episodes. */
export interface FewShotRow {
  method: string;
  seed: number;
  probe: string;
  shots: number;
  classifier: FewShotMethod;
  /** Mean accuracy over the episodes. */
  accuracy: number;
  /** Half-width of the 95% interval over episodes. */
  halfWidth: number;
}

/**
 * Rows of one method (one embedding) on every probe, K and classifier, for one seed.
 *
 * @example
 * const probe = { name: 'test 3-way', pool: d.test, ways: 3, shots: [1, 5], queries: 10, episodes: 100 };
 * fewShot.push(...fewShotRows('pixels', 1, pixelEmbedding, [probe])); // 2 K x 2 classifiers = 4 rows
 */
export function fewShotRows(
  method: string,
  seed: number,
  embedFn: EmbedFn,
  probes: readonly FewShotProbe[],
): FewShotRow[] {
  const fn = 'fewShotRows';
  if (!Array.isArray(probes) || probes.length === 0) fail(fn, 'probes', 'be a non-empty array', probes);
  const rows: FewShotRow[] = [];
  for (const probe of probes) {
    const count = checkNumber(fn, `${probe.name}.episodes`, probe.episodes, { min: 1, integer: true });
    if (!Array.isArray(probe.shots) || probe.shots.length === 0)
      fail(fn, `${probe.name}.shots`, 'be a non-empty array', probe.shots);
    // Check every K can be drawn before the (costly) embedding.
    const samplers = probe.shots.map(
      (shots: number) =>
        new EpisodeSampler({ labels: probe.pool.y, ways: probe.ways, shots, queries: probe.queries, seed }),
    );
    const embeddings = embedFn(probe.pool.x);
    try {
      samplers.forEach((sampler: EpisodeSampler) => {
        const scores = fewShotAccuracy(embeddings, sampler.episodes(count), { distance: probe.distance });
        for (const classifier of FEW_SHOT_METHODS) {
          const a = scores[classifier].accuracy;
          rows.push({
            method,
            seed,
            probe: probe.name,
            shots: sampler.shots,
            classifier,
            accuracy: a.mean,
            halfWidth: a.halfWidth,
          });
        }
      });
    } finally {
      tf.dispose(embeddings);
    }
  }
  return rows;
}

/**
 * One method's accuracy on one probe, K and classifier, ordered by seed (for comparePaired).
 *
 * @example
 * comparePaired(fewShotBySeed(fewShot, 'prototypical', 'glyphs', 1, 'prototype'), fewShotBySeed(fewShot, 'pixels', 'glyphs', 1, 'prototype'));
 */
export function fewShotBySeed(
  rows: readonly FewShotRow[],
  method: string,
  probe: string,
  shots: number,
  classifier: FewShotMethod,
): number[] {
  const picked = rows
    .filter((r) => r.method === method && r.probe === probe && r.shots === shots && r.classifier === classifier)
    .sort((a, b) => a.seed - b.seed);
  if (picked.length === 0)
    fail('fewShotBySeed', 'method', `have rows on probe '${probe}' with K = ${shots} (${classifier})`, method);
  return picked.map((r) => r.accuracy);
}
