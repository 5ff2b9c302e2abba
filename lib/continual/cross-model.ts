/**
 * The "old gallery, new model" problem: after a model update, the gallery in the index was
 * embedded by the old model. Either every gallery item is re-embedded (costly for millions of
 * items) or new queries are searched among old vectors, which only works when the new model is
 * compatible with the old one. `crossModelScores` measures exactly that.
 */
import * as tf from '../tf';
import type { LabelledImages } from '../course/data';
import type { EmbedFn, RetrievalScores } from '../course/retrieval';
import { retrievalMetrics } from '../eval/retrieval';
import { fail } from '../validate';

/**
 * Recall@1 and MAP@R (cosine) of queries embedded by `queryEmbed` against a gallery embedded by
 * `galleryEmbed`. With the same function for both, this is the ordinary query/gallery score.
 *
 * @example
 * const probe = queryGalleryProbe('old digits', stage1.seen, { queryFraction: 0.2, seed: 1 });
 * // new queries, old gallery (no re-embedding) vs new queries, re-embedded gallery
 * crossModelScores(modelEmbedding(newModel), modelEmbedding(oldModel), probe.queries, probe.gallery!).recallAt1;
 * crossModelScores(modelEmbedding(newModel), modelEmbedding(newModel), probe.queries, probe.gallery!).recallAt1;
 */
export function crossModelScores(
  queryEmbed: EmbedFn,
  galleryEmbed: EmbedFn,
  queries: LabelledImages,
  gallery: LabelledImages,
): RetrievalScores {
  const fn = 'crossModelScores';
  if (typeof queryEmbed !== 'function') fail(fn, 'queryEmbed', 'be a function images -> embeddings', queryEmbed);
  if (typeof galleryEmbed !== 'function') fail(fn, 'galleryEmbed', 'be a function images -> embeddings', galleryEmbed);
  const q = queryEmbed(queries.x);
  const g = galleryEmbed(gallery.x);
  try {
    if (q.shape[1] !== g.shape[1])
      fail(fn, 'galleryEmbed', `give the query embeddings' width (${q.shape[1]})`, `width ${g.shape[1]}`);
    const m = retrievalMetrics({
      queries: q,
      queryLabels: queries.y,
      reference: g,
      referenceLabels: gallery.y,
      distance: 'cosine',
      recallAtK: [1],
    });
    return { recallAt1: m.recallAtK[1], mapAtR: m.mapAtR };
  } finally {
    tf.dispose([q, g]);
  }
}
