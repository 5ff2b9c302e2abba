/**
 * The collapse watch of a validation check: how far apart same-class and different-class
 * validation images are, and how many directions the embedding uses. Collapse shows as the mean
 * negative distance falling towards 0; a low effective rank alone is not collapse (see the glossary).
 */
import * as tf from '../tf';
import { embeddingHealth } from '../eval/health';
import { embed } from '../models/embed';
import type { LabelledImages } from './data';

/** Mean Euclidean distances (0-2 on unit vectors) and effective rank of the validation embeddings. */
export interface CheckHealth {
  meanPositiveDistance: number;
  meanNegativeDistance: number;
  effectiveRank: number;
}

/**
 * The health of `embedder` on some images (seeded pair sample, so checks are comparable).
 *
 * @example
 * healthAt(model, d.validation); // e.g. { meanPositiveDistance: 0.61, meanNegativeDistance: 1.12, effectiveRank: 7.9 }
 */
export function healthAt(embedder: tf.LayersModel, images: LabelledImages): CheckHealth {
  const e = embed(embedder, images.x);
  try {
    const h = embeddingHealth(e, images.y, { seed: 0, maxPairs: 20000, triplets: 1000 });
    return {
      meanPositiveDistance: h.meanPositiveDistance,
      meanNegativeDistance: h.meanNegativeDistance,
      effectiveRank: h.effectiveRank,
    };
  } finally {
    e.dispose();
  }
}
