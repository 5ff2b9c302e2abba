/**
 * Metric-learning losses, one file per family, all with the MetricLoss contract.
 *
 * @example
 * import { losses, miners } from 'metriclab';
 * const loss = losses.tripletMargin({ margin: 0.2 });
 * const { loss: value, stats } = loss.compute(embeddings, labels, miners.batchHard().mine(embeddings, labels));
 */
import type { OptionTable } from '../options';
import { arcFace, cosFace, MARGIN_SOFTMAX_OPTIONS } from './margin-softmax';
import { circle, CIRCLE_OPTIONS } from './circle';
import { CLASS_WEIGHT_OPTIONS } from './class-weights';
import { contrastive, CONTRASTIVE_OPTIONS } from './contrastive';
import { crossBatchMemory } from './cross-batch-memory';
import { liftedStructure, LIFTED_STRUCTURE_OPTIONS } from './lifted-structure';
import { marginLoss, MARGIN_LOSS_OPTIONS } from './margin';
import { multiSimilarity, MULTI_SIMILARITY_OPTIONS } from './multi-similarity';
import { nPairs, N_PAIRS_OPTIONS } from './n-pairs';
import { ntXent, TEMPERATURE_OPTIONS } from './nt-xent';
import { proxyAnchor, PROXY_ANCHOR_OPTIONS } from './proxy-anchor';
import { proxyNCA, PROXY_NCA_OPTIONS } from './proxy-nca';
import { prototypical, PROTOTYPICAL_OPTIONS } from './prototypical';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import { supCon } from './sup-con';
import { tripletMargin, TRIPLET_MARGIN_OPTIONS } from './triplet-margin';

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

/** The name of a loss factory: 'tripletMargin', 'arcFace', ... */
export type LossName = keyof typeof losses;

/**
 * The options each loss factory takes and their kinds (crossBatchMemory wraps another loss and
 * takes objects only, so it is not listed): what `metriclab train --help` lists and what
 * `--loss-opt key=value` may set.
 *
 * @example
 * LOSS_OPTIONS.tripletMargin.margin; // 'number'
 * LOSS_OPTIONS.tripletMargin.reduction; // ['mean', 'meanNonZero', 'sum']: one of these
 */
export const LOSS_OPTIONS: Readonly<Record<Exclude<LossName, 'crossBatchMemory'>, OptionTable>> = {
  contrastive: CONTRASTIVE_OPTIONS,
  tripletMargin: TRIPLET_MARGIN_OPTIONS,
  marginLoss: MARGIN_LOSS_OPTIONS,
  nPairs: N_PAIRS_OPTIONS,
  liftedStructure: LIFTED_STRUCTURE_OPTIONS,
  multiSimilarity: MULTI_SIMILARITY_OPTIONS,
  circle: CIRCLE_OPTIONS,
  ntXent: TEMPERATURE_OPTIONS,
  supCon: TEMPERATURE_OPTIONS,
  proxyNCA: PROXY_NCA_OPTIONS,
  proxyAnchor: PROXY_ANCHOR_OPTIONS,
  arcFace: MARGIN_SOFTMAX_OPTIONS,
  cosFace: MARGIN_SOFTMAX_OPTIONS,
  softmaxCrossEntropy: CLASS_WEIGHT_OPTIONS,
  prototypical: PROTOTYPICAL_OPTIONS,
};

export { BaseMetricLoss, type LossReduction, type TermGroup, type LossParts, type LossInput } from './base';
export { ClassWeightLoss, type ClassWeightOptions } from './class-weights';
export type { NPairsOptions } from './n-pairs';
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
