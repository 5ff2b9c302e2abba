/**
 * What an attack on a query increases. An objective maps the embeddings of the perturbed
 * queries [N, D] to one value per query [N]; the attack climbs its gradient. Objectives hold
 * the tensors they compare with (gallery, clean embeddings) and must be disposed.
 */
import * as tf from '../tf';
import type { LabelsLike } from '../types';
import { checkEmbeddings, checkNumber, fail, labelsToArray } from '../validate';

/** A per-query value for an attack to increase; `dispose` releases the tensors it holds. */
export interface AttackObjective {
  /** Number of queries (rows) the objective expects. */
  readonly size: number;
  /** [N] values for embeddings [N, D] of the perturbed queries; differentiable. */
  value(embeddings: tf.Tensor2D): tf.Tensor1D;
  dispose(): void;
}

export interface RetrievalObjectiveOptions {
  /** Clean gallery embeddings [M, D] (the attacker knows the gallery: a white-box attack). */
  gallery: tf.Tensor2D;
  galleryLabels: LabelsLike;
  /** The true class of each attacked query. */
  queryLabels: LabelsLike;
  /** Softness of the max over gallery items (cosine units). Default 0.05: close to the hard max. */
  temperature?: number;
}

const EXCLUDED = -1e4;

/**
 * The retrieval attack: push each query towards its most similar gallery item of another class
 * and away from its most similar item of its own class, on cosine similarity:
 * `τ·logsumexp(cos/τ over other classes) − τ·logsumexp(cos/τ over its class)`. The query's
 * nearest neighbour changes class exactly when the hard version of this value becomes positive,
 * so it is the loss behind a Recall@1 failure.
 *
 * @example
 * const probe = queryGalleryProbe('test', d.test, { queryFraction: 0.2, seed: 1 });
 * const gallery = pixelEmbedding(probe.gallery!.x);
 * const objective = retrievalObjective({ gallery, galleryLabels: probe.gallery!.y, queryLabels: probe.queries.y });
 * const adv = pgdAttack(pixelEmbedding, probe.queries.x, objective, { epsilon: 0.1, steps: 10, seed: 1 });
 * objective.dispose(); gallery.dispose();
 */
export function retrievalObjective(options: RetrievalObjectiveOptions): AttackObjective {
  const fn = 'retrievalObjective';
  const m = checkEmbeddings(fn, options.gallery, { arg: 'gallery' });
  const galleryLabels = labelsToArray(fn, options.galleryLabels, m, 'galleryLabels');
  const queryLabels = labelsToArray(fn, options.queryLabels, undefined, 'queryLabels');
  const temperature = checkNumber(fn, 'temperature', options.temperature ?? 0.05, { min: 0, minExclusive: true });
  const classes = new Set(galleryLabels);
  queryLabels.forEach((y, i) => {
    if (!classes.has(y)) fail(fn, 'queryLabels', 'name classes present in the gallery', `class ${y} at index ${i}`);
  });
  if (classes.size < 2)
    fail(fn, 'galleryLabels', 'hold at least 2 classes (an attack needs another class)', classes.size);
  const n = queryLabels.length;
  const own = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) own[i * m + j] = queryLabels[i] === galleryLabels[j] ? 1 : 0;
  // Kept: an objective made inside a caller's tf.tidy must outlive it until dispose().
  const ownMask = tf.keep(tf.tensor2d(own, [n, m]));
  const unitGallery = tf.keep(
    tf.tidy(() => tf.div(options.gallery, tf.norm(options.gallery, 2, 1, true).maximum(1e-12))),
  );
  const d = options.gallery.shape[1];
  return {
    size: n,
    value(embeddings: tf.Tensor2D): tf.Tensor1D {
      if (embeddings.rank !== 2 || embeddings.shape[0] !== n || embeddings.shape[1] !== d) {
        fail(fn, 'embeddings', `be [${n}, ${d}] (one row per query, the gallery's dimension)`, embeddings);
      }
      return tf.tidy(() => {
        const unit = tf.div(embeddings, tf.norm(embeddings, 2, 1, true).maximum(1e-12));
        const sims = tf.matMul(unit, unitGallery, false, true).div(temperature);
        const inOwn = tf.add(sims, tf.mul(tf.sub(1, ownMask), EXCLUDED));
        const inOther = tf.add(sims, tf.mul(ownMask, EXCLUDED));
        return tf.sub(tf.logSumExp(inOther, 1), tf.logSumExp(inOwn, 1)).mul(temperature) as tf.Tensor1D;
      });
    },
    dispose(): void {
      tf.dispose([ownMask, unitGallery]);
    },
  };
}

/**
 * The embedding-shift objective (RobRank's "ES" attack and EST defence): move each query's
 * embedding as far as possible from its clean embedding, `‖f(x+δ) − f(x)‖²`. It needs no labels
 * and no gallery, which is why adversarial training can use it on unlabelled batches.
 *
 * @example
 * const clean = model.predict(images) as tf.Tensor2D;
 * const objective = embeddingShiftObjective(clean);
 * const adv = pgdAttack(modelForward(model), images, objective, { epsilon: 0.1, steps: 5, seed: 1 });
 * objective.dispose(); clean.dispose();
 */
export function embeddingShiftObjective(clean: tf.Tensor2D): AttackObjective {
  const fn = 'embeddingShiftObjective';
  const n = checkEmbeddings(fn, clean, { arg: 'clean' });
  const anchor = tf.keep(clean.clone());
  return {
    size: n,
    value(embeddings: tf.Tensor2D): tf.Tensor1D {
      if (embeddings.rank !== 2 || embeddings.shape[0] !== n || embeddings.shape[1] !== anchor.shape[1]) {
        fail(fn, 'embeddings', `be [${n}, ${anchor.shape[1]}] (the shape of the clean embeddings)`, embeddings);
      }
      return tf.tidy(() => tf.sum(tf.square(tf.sub(embeddings, anchor)), 1) as tf.Tensor1D);
    },
    dispose(): void {
      anchor.dispose();
    },
  };
}
