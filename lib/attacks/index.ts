/**
 * Adversarial attacks on embedders (FGSM, PGD in an L∞ ball on pixels), the objectives they
 * climb (retrieval, embedding shift), retrieval scores under attack, and adversarial training
 * as a batch transform.
 */
export {
  embeddingShiftObjective,
  retrievalObjective,
  type AttackObjective,
  type RetrievalObjectiveOptions,
} from './objectives';
export { fgsmAttack, modelForward, pgdAttack, type DifferentiableEmbed, type PgdOptions } from './pgd';
export { attackedScores, attackQueries, queryGalleryProbe, type AttackSpec } from './probe';
export { adversarialBatches, type AdversarialBatchesOptions } from './training';
