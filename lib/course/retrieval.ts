/**
 * Retrieval scores of the course and the two baselines every results table carries: raw pixels
 * (no learning at all) and the untrained network (the architecture's prior, no training). A
 * "probe" is one retrieval task: leave-one-out among some images, or transformed queries searched
 * in a clean gallery (the invariance a learned metric can add and pixels lack).
 */
import * as tf from '../tf';
import { corrupt, type CorruptionName } from '../data/corruptions';
import { queryGallerySplit } from '../data/splits';
import { retrievalMetrics } from '../eval/retrieval';
import type { KnnDistance } from '../search/exact';
import type { SeedLike } from '../random';
import { embed } from '../models/embed';
import { checkNumber, fail } from '../validate';
import type { LabelledImages } from './data';

/** The two retrieval metrics of the course's tables. */
export interface RetrievalScores {
  /** Is the nearest neighbour of the same class? (fraction of queries) */
  recallAt1: number;
  /** Mean average precision over the first R neighbours, R = the number of same-class items (rewards ranking). */
  mapAtR: number;
}

/** One retrieval task. Without a gallery, every query searches the other queries (leave-one-out). */
export interface RetrievalProbe {
  name: string;
  queries: LabelledImages;
  gallery?: LabelledImages;
}

/** Images [N, H, W, C] → embeddings [N, D]; the caller disposes the result. */
export type EmbedFn = (x: tf.Tensor4D) => tf.Tensor2D;

/**
 * The no-learning embedding: each image's pixels as one vector.
 *
 * @example
 * probeScores(pixelEmbedding, probes);
 */
export const pixelEmbedding: EmbedFn = (x) => tf.reshape(x, [x.shape[0], -1]);

/**
 * A model's embedding (inference mode, in chunks).
 *
 * @example
 * probeScores(modelEmbedding(model), probes);
 */
export function modelEmbedding(model: tf.LayersModel): EmbedFn {
  return (x) => embed(model, x);
}

/** How a probe ranks neighbours. */
export interface ProbeOptions {
  /** Default 'cosine'; 'euclidean' or 'dot' rank raw (unnormalised) embeddings differently. */
  distance?: KnnDistance;
}

/**
 * Recall@1 and MAP@R of every probe, by default with cosine similarity (the ranking of Euclidean
 * distance on unit-norm embeddings, and the usual choice for raw pixels).
 *
 * @example
 * const s = probeScores(pixelEmbedding, [{ name: 'test', queries: d.test }]);
 * s.test.mapAtR; // e.g. 0.43
 * probeScores(modelEmbedding(model), probes, { distance: 'dot' }); // served with the raw dot product
 */
export function probeScores(
  embedFn: EmbedFn,
  probes: readonly RetrievalProbe[],
  options: ProbeOptions = {},
): Record<string, RetrievalScores> {
  if (!Array.isArray(probes) || probes.length === 0) fail('probeScores', 'probes', 'be a non-empty array', probes);
  const distance = options.distance ?? 'cosine';
  const out: Record<string, RetrievalScores> = {};
  // Probes often share one gallery (e.g. many corrupted query sets against one clean catalogue):
  // each distinct gallery tensor is embedded once per call, not once per probe.
  const galleries = new Map<tf.Tensor, tf.Tensor2D>();
  try {
    for (const probe of probes) {
      const q = embedFn(probe.queries.x);
      let g: tf.Tensor2D | undefined;
      if (probe.gallery) {
        g = galleries.get(probe.gallery.x);
        if (!g) galleries.set(probe.gallery.x, (g = embedFn(probe.gallery.x)));
      }
      try {
        const m = retrievalMetrics({
          queries: q,
          queryLabels: probe.queries.y,
          reference: g,
          referenceLabels: g ? probe.gallery?.y : undefined,
          distance,
          recallAtK: [1],
        });
        out[probe.name] = { recallAt1: m.recallAtK[1], mapAtR: m.mapAtR };
      } finally {
        q.dispose();
      }
    }
  } finally {
    tf.dispose([...galleries.values()]);
  }
  return out;
}

export interface TransformedProbeOptions {
  /** A corruption of lib/data (e.g. 'translate', 'rotate') applied to the queries only. */
  corruption: CorruptionName;
  /** 1-5 (MNIST-C style levels; 'translate' level 2 shifts by 3.5 pixels). */
  severity: number;
  /** Fraction of each class used as queries; the rest is the clean gallery. Default 0.2. */
  queryFraction?: number;
  seed: SeedLike;
}

/**
 * A probe whose queries are transformed copies of some images, searched among the other, clean
 * images of the same classes. The dataset shift it measures is the one a deployed retrieval
 * system meets (a photo taken off-centre, a rotated scan). Dispose it with `disposeProbe`.
 *
 * @example
 * const shifted = transformedProbe('test, shifted queries', d.test, { corruption: 'translate', severity: 2, seed: 0 });
 */
export function transformedProbe(
  name: string,
  images: LabelledImages,
  options: TransformedProbeOptions,
): RetrievalProbe {
  const fn = 'transformedProbe';
  const queryFraction = checkNumber(fn, 'queryFraction', options.queryFraction ?? 0.2, {
    min: 0,
    max: 1,
    minExclusive: true,
  });
  const { query, gallery } = queryGallerySplit(images.y, { queryFraction, seed: options.seed });
  const clean = tf.gather(images.x, query);
  try {
    return {
      name,
      queries: {
        x: corrupt(clean, options.corruption, options.severity, { seed: options.seed }),
        y: query.map((i) => images.y[i]),
      },
      gallery: { x: tf.gather(images.x, gallery), y: gallery.map((i) => images.y[i]) },
    };
  } finally {
    clean.dispose();
  }
}

/**
 * Releases the tensors a probe owns (those made by `transformedProbe`).
 *
 * @example
 * const shifted = transformedProbe('test, shifted queries', d.test, { corruption: 'translate', severity: 2, seed: 0 });
 * probeScores(pixelEmbedding, [shifted]);
 * disposeProbe(shifted); // its transformed queries and its gallery
 */
export function disposeProbe(probe: RetrievalProbe): void {
  tf.dispose(probe.gallery ? [probe.queries.x, probe.gallery.x] : [probe.queries.x]);
}

/** One line of a results table: a method's scores on one probe for one seed. */
export type RetrievalRow = RetrievalScores & { method: string; seed: number; probe: string };

/**
 * Rows of one method on every probe, for one seed.
 *
 * @example
 * rows.push(...retrievalRows('triplet', 1, modelEmbedding(model), probes)); // one row per probe, seed 1
 */
export function retrievalRows(
  method: string,
  seed: number,
  embedFn: EmbedFn,
  probes: readonly RetrievalProbe[],
  options: ProbeOptions = {},
): RetrievalRow[] {
  const scores = probeScores(embedFn, probes, options);
  return probes.map((p) => ({ method, seed, probe: p.name, ...scores[p.name] }));
}

export interface BaselineOptions {
  probes: readonly RetrievalProbe[];
  seeds: readonly number[];
  /** The network of a seed, before any training (the same constructor the trained runs use). */
  makeModel: (seed: number) => tf.LayersModel;
  /** How both baselines rank neighbours (default 'cosine'). */
  distance?: KnnDistance;
}

/**
 * The baseline rows of a results table: 'pixels' and 'untrained' on every probe and seed. Pixels
 * do not depend on the seed; their row is repeated per seed so that paired comparisons against a
 * trained method line up seed by seed.
 *
 * @example
 * const rows = baselineRetrieval({ probes, seeds: [1, 2, 3], makeModel: (seed) => mlpEmbedder({ inputShape: [784], seed }) });
 */
export function baselineRetrieval({ probes, seeds, makeModel, distance }: BaselineOptions): RetrievalRow[] {
  if (!Array.isArray(seeds) || seeds.length === 0) fail('baselineRetrieval', 'seeds', 'be a non-empty array', seeds);
  const pixels = probeScores(pixelEmbedding, probes, { distance });
  const rows: RetrievalRow[] = [];
  for (const seed of seeds) {
    rows.push(...probes.map((p) => ({ method: 'pixels', seed, probe: p.name, ...pixels[p.name] })));
    const model = makeModel(seed);
    try {
      rows.push(...retrievalRows('untrained', seed, modelEmbedding(model), probes, { distance }));
    } finally {
      model.dispose();
    }
  }
  return rows;
}
