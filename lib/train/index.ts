/** The training loop, its history records, errors, early stopping and progress displays. */
export { train } from './train';
export type {
  BatchTransform,
  BatchTransformInfo,
  EarlyStoppingOptions,
  EpochRecord,
  EvaluateOptions,
  History,
  MetricsFn,
  OptimizerName,
  OptimizerSpec,
  ProgressMode,
  StepRecord,
  TrainCallbacks,
  TrainControl,
  TrainData,
  TrainOptions,
} from './types';
export { NonFiniteLossError, isNonFiniteLossError } from './errors';
export { EarlyStopper, type EarlyStoppingVerdict } from './early-stopping';
export { runEvaluation } from './evaluate';
export { epochPoints, summarizeEpoch } from './aggregate';
export { resolveOptimizer } from './optimizer';
export {
  createProgress,
  NotebookProgress,
  TerminalProgress,
  tslabNewDisplay,
  type ProgressReporter,
  type ProgressStart,
  type ProgressStep,
  type ProgressStream,
  type TextDisplay,
} from './progress';
export { retrievalEvaluation, retrievalMetricsFn, type RetrievalEvaluationOptions } from './retrieval';
