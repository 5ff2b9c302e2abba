/**
 * Metric-learning losses, one file per family, all with the MetricLoss contract.
 *
 * @example
 * import { losses, miners } from 'metriclab';
 * const loss = losses.tripletMargin({ margin: 0.2 });
 * const { loss: value, stats } = loss.compute(embeddings, labels, miners.batchHard().mine(embeddings, labels));
 */
import { arcFace, cosFace } from './margin-softmax';
import { circle } from './circle';
import { contrastive } from './contrastive';
import { crossBatchMemory } from './cross-batch-memory';
import { liftedStructure } from './lifted-structure';
import { marginLoss } from './margin';
import { multiSimilarity } from './multi-similarity';
import { nPairs } from './n-pairs';
import { ntXent } from './nt-xent';
import { proxyAnchor } from './proxy-anchor';
import { proxyNCA } from './proxy-nca';
import { prototypical } from './prototypical';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import { supCon } from './sup-con';
import { tripletMargin } from './triplet-margin';

/** The loss factories: `losses.tripletMargin({...})`, `losses.arcFace({...})`, ... */
export const losses = {
  contrastive,
  tripletMargin,
  marginLoss,
  nPairs,
  liftedStructure,
  multiSimilarity,
  circle,
  ntXent,
  supCon,
  proxyNCA,
  proxyAnchor,
  arcFace,
  cosFace,
  softmaxCrossEntropy,
  crossBatchMemory,
  prototypical,
};

export { BaseMetricLoss, type LossReduction, type TermGroup, type LossParts, type LossInput } from './base';
export { ClassWeightLoss, type ClassWeightOptions } from './class-weights';
export type { ContrastiveOptions } from './contrastive';
export {
  CrossBatchMemory,
  type CrossBatchMemoryOptions,
  type CrossBatchMemoryState,
  type MemoryComputeOptions,
} from './cross-batch-memory';
export { saveMemory, loadMemory, MEMORY_JSON, MEMORY_BIN } from './memory-io';
export type { Reference, Candidates } from './reference';
export type { TripletMarginOptions, TripletMarginLoss } from './triplet-margin';
export type { MarginLossOptions, MarginLoss } from './margin';
export type { LiftedStructureOptions } from './lifted-structure';
export type { MultiSimilarityOptions } from './multi-similarity';
export type { CircleOptions } from './circle';
export type { TemperatureOptions } from './nt-xent';
export type { ProxyNCAOptions } from './proxy-nca';
export type { ProxyAnchorOptions } from './proxy-anchor';
export type { MarginSoftmaxOptions } from './margin-softmax';
export type { PrototypicalOptions } from './prototypical';
