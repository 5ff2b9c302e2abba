/**
 * The course's shared experiment helpers: class-disjoint train / validation / test data, the
 * pixel and untrained-network baselines, retrieval probes, and training with model choice on
 * validation classes. Statistics live in lib/eval/compare.ts (comparePaired, ClaimChecks).
 */
export { trainValTestClassSplit, type ClassSplit, type ClassSplitOptions } from './split';
export {
  describeCourseData,
  disposeCourseData,
  prepareCourseData,
  type CourseData,
  type CourseDataOptions,
  type LabelledImages,
} from './data';
export {
  baselineRetrieval,
  disposeProbe,
  modelEmbedding,
  pixelEmbedding,
  probeScores,
  retrievalRows,
  transformedProbe,
  type BaselineOptions,
  type EmbedFn,
  type ProbeOptions,
  type RetrievalProbe,
  type RetrievalRow,
  type RetrievalScores,
  type TransformedProbeOptions,
} from './retrieval';
export {
  trainWithValidation,
  type ValidatedTraining,
  type ValidatedTrainingOptions,
  type ValidationPoint,
} from './train';
export { metricBySeed, summarizeRows, type ScoreName, type SummaryOptions } from './summary';
export { meanPairDistances, pairDistances, type PairDistances } from './pairs';
export {
  describeGlyphCourseData,
  disposeGlyphCourseData,
  prepareGlyphCourseData,
  type GlyphCourseData,
  type GlyphCourseOptions,
} from './glyph-data';
export { fewShotBySeed, fewShotRows, type FewShotProbe, type FewShotRow } from './few-shot';
export { healthAt, type CheckHealth } from './health';
export { METRIC_LABELS, metricSuite, type MetricName, type MetricSuite, type MetricSuiteOptions } from './metric-suite';
