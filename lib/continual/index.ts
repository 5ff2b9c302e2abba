/**
 * Continual (class-incremental) metric learning: replay buffers, embedding distillation from the
 * previous model, backward-compatible training (BCT) and cross-model retrieval ("old gallery,
 * new model"). Notebook 11 uses all of them.
 */
export { DISTILLATION_TYPES, embeddingDistillation } from './distillation';
export type { DistillationOptions, DistillationType, EmbeddingDistillation } from './distillation';
export { backwardCompatibility, classPrototypes } from './compatibility';
export type { BackwardCompatibility, CompatibilityOptions } from './compatibility';
export { concatImages, replayBuffer, type ReplayBufferOptions } from './replay';
export { continualLoss, withTeacher, type ContinualLossOptions } from './teacher';
export { crossModelScores } from './cross-model';
