/**
 * Retrieval under attack: the queries of a probe are perturbed (white-box, against the embedder
 * being scored, with the clean gallery known to the attacker) and searched among the clean
 * gallery, scored like every course table (Recall@1, MAP@R, cosine).
 */
import * as tf from '../tf';
import type { LabelledImages } from '../course/data';
import type { RetrievalProbe, RetrievalScores } from '../course/retrieval';
import { queryGallerySplit } from '../data/splits';
import { retrievalMetrics } from '../eval/retrieval';
import { checkNumber, checkOneOf, fail } from '../validate';
import { retrievalObjective } from './objectives';
import { fgsmAttack, pgdAttack, type DifferentiableEmbed } from './pgd';

export interface AttackSpec {
  method: 'fgsm' | 'pgd';
  /** L∞ radius in pixel units (0 = clean queries). */
  epsilon: number;
  /** PGD steps. Default 10. */
  steps?: number;
  /** Seeds PGD's random start. */
  seed: number;
}

/**
 * The adversarial copies of a probe's queries under the retrieval objective (towards the nearest
 * other-class gallery item, away from the nearest same-class one). The caller disposes them.
 *
 * @example
 * const probe = queryGalleryProbe('test', d.test, { queryFraction: 0.2, seed: 1 });
 * const adv = attackQueries(modelForward(model), probe, { method: 'pgd', epsilon: 0.1, seed: 1 });
 */
export function attackQueries(embed: DifferentiableEmbed, probe: RetrievalProbe, attack: AttackSpec): tf.Tensor4D {
  const fn = 'attackQueries';
  if (!probe?.gallery) fail(fn, 'probe', 'have a gallery (the attack pushes queries towards gallery items)', 'none');
  const method = checkOneOf(fn, 'attack.method', attack?.method, ['fgsm', 'pgd'] as const);
  const epsilon = checkNumber(fn, 'attack.epsilon', attack.epsilon, { min: 0 });
  const steps = checkNumber(fn, 'attack.steps', attack.steps ?? 10, { min: 1, integer: true });
  const gallery = tf.tidy(() => embed(probe.gallery!.x));
  const objective = retrievalObjective({ gallery, galleryLabels: probe.gallery.y, queryLabels: probe.queries.y });
  try {
    return method === 'fgsm'
      ? fgsmAttack(embed, probe.queries.x, objective, { epsilon })
      : pgdAttack(embed, probe.queries.x, objective, { epsilon, steps, seed: attack.seed });
  } finally {
    objective.dispose();
    gallery.dispose();
  }
}

/**
 * Recall@1 and MAP@R of a probe whose queries are attacked (epsilon 0: the clean scores).
 *
 * @example
 * const probe = queryGalleryProbe('test', d.test, { queryFraction: 0.2, seed: 1 });
 * attackedScores(modelForward(model), probe, { method: 'pgd', epsilon: 0.1, steps: 10, seed: 1 }).recallAt1;
 */
export function attackedScores(embed: DifferentiableEmbed, probe: RetrievalProbe, attack: AttackSpec): RetrievalScores {
  const adv = attackQueries(embed, probe, attack);
  const [q, g] = tf.tidy(() => [embed(adv), embed(probe.gallery!.x)]);
  try {
    const m = retrievalMetrics({
      queries: q,
      queryLabels: probe.queries.y,
      reference: g,
      referenceLabels: probe.gallery!.y,
      distance: 'cosine',
      recallAtK: [1],
    });
    return { recallAt1: m.recallAtK[1], mapAtR: m.mapAtR };
  } finally {
    tf.dispose([adv, q, g]);
  }
}

/**
 * A probe that splits images into queries and a gallery, per class (seeded), for attacks that
 * need a gallery. Dispose it with `disposeProbe`.
 *
 * @example
 * const probe = queryGalleryProbe('test', d.test, { queryFraction: 0.2, seed: 1 });
 */
export function queryGalleryProbe(
  name: string,
  images: LabelledImages,
  options: { queryFraction: number; seed: number },
): RetrievalProbe {
  const { query, gallery } = queryGallerySplit(images.y, options);
  return {
    name,
    queries: { x: tf.gather(images.x, query), y: query.map((i) => images.y[i]) },
    gallery: { x: tf.gather(images.x, gallery), y: gallery.map((i) => images.y[i]) },
  };
}
