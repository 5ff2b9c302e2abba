/**
 * Embedding-space adversarial training as a batch transform for `train` / `trainWithValidation`:
 * each training batch is replaced by its adversarial copy under the embedding-shift objective
 * (RobRank's EST idea: no labels needed, every image of the batch, an anchor of the batch's
 * tuples, moves its embedding as far as the ε-ball allows), computed against the current weights.
 */
import * as tf from '../tf';
import type { BatchTransform } from '../train/types';
import { checkNumber, checkOneOf, fail } from '../validate';
import { embeddingShiftObjective } from './objectives';
import { modelForward, pgdAttack } from './pgd';

export interface AdversarialBatchesOptions {
  /** The embedder being trained (the attack uses its current weights at every step). */
  model: tf.LayersModel;
  /** L∞ radius in pixel units. */
  epsilon: number;
  /**
   * 'fgsm': one step of 1.25·ε from a random start (Wong et al. 2020: without the random start the
   * embedding-shift gradient is 0 at the clean image); 'pgd': `steps` steps of 2.5·ε/steps.
   */
  method: 'fgsm' | 'pgd';
  /** PGD steps. Default 5 (ignored by 'fgsm'). */
  steps?: number;
  /** Seeds the random starts (combined with the training step). */
  seed: number;
}

/**
 * A `data.transform` that trains on adversarial batches.
 *
 * @example
 * const model = mlpEmbedder({ inputShape: [28, 28, 1], hidden: [64], embeddingDim: 32, seed: 1 });
 * await trainWithValidation({
 *   model, loss: losses.tripletMargin({ margin: 0.2 }), train: d.train, validation: d.validation,
 *   steps: 200, evalEvery: 40, classesPerBatch: 5, samplesPerClass: 8, seed: 1,
 *   transform: adversarialBatches({ model, epsilon: 0.1, method: 'pgd', steps: 3, seed: 1 }),
 * });
 */
export function adversarialBatches(options: AdversarialBatchesOptions): BatchTransform {
  const fn = 'adversarialBatches';
  if (!(options?.model instanceof tf.LayersModel)) fail(fn, 'model', 'be a tf.LayersModel', typeof options?.model);
  const epsilon = checkNumber(fn, 'epsilon', options.epsilon, { min: 0, minExclusive: true });
  const method = checkOneOf(fn, 'method', options.method, ['fgsm', 'pgd'] as const);
  const steps = method === 'fgsm' ? 1 : checkNumber(fn, 'steps', options.steps ?? 5, { min: 1, integer: true });
  const stepSize = method === 'fgsm' ? 1.25 * epsilon : (2.5 * epsilon) / steps;
  const seed = checkNumber(fn, 'seed', options.seed, { integer: true });
  const forward = modelForward(options.model);
  return (x, { step }) => {
    if (x.rank !== 4) fail(fn, 'data.x', 'hold images [N, H, W, C] (the attack works on pixels)', x);
    const images = x as tf.Tensor4D;
    const clean = tf.tidy(() => forward(images));
    const objective = embeddingShiftObjective(clean);
    try {
      return pgdAttack(forward, images, objective, { epsilon, steps, stepSize, seed: seed * 1_000_003 + step });
    } finally {
      objective.dispose();
      clean.dispose();
    }
  };
}
