/**
 * Data: IDX files, MNIST / Fashion-MNIST / glyph-set loaders, splits, corruptions and label noise.
 *
 * @example
 * import { loadFashionMnist, classDisjointSplit, subsetDataset } from 'metriclab';
 * const ds = await loadFashionMnist({ split: 'train' });
 * const { train, test } = classDisjointSplit(ds.labels, { testClassCount: 5 });
 */
export { IdxFormatError, encodeIdx, isGzip, parseIdx, readIdx, writeIdx } from './idx';
export type { IdxArray, IdxData, IdxDtype } from './idx';
export { SHIPPED_DATA_DIR, dataDirectories, locateDataset } from './locate';
export type { DataDirectory, DatasetLocation, FilePart, PartFiles } from './locate';
export {
  DATASET_NAMES,
  FASHION_MNIST_CLASS_NAMES,
  MNIST_CLASS_NAMES,
  SPLITS,
  loadDataset,
  loadFashionMnist,
  loadMnist,
} from './datasets';
export type { DatasetName, FlatImageDataset, LoadOptions, LoadedDataset, LoadedInfo, SplitName } from './datasets';
export * from './glyphs';
export { summarizeDatasets } from './catalog';
export type { DatasetSummary, SplitSummary } from './catalog';
export { classDisjointSplit, indicesByClass, queryGallerySplit, randomSplit, subsetDataset } from './splits';
export type { QueryGalleryIndices, TrainTestIndices } from './splits';
export { LABEL_NOISE_TYPES, addLabelNoise, pairFlipLabelNoise, symmetricLabelNoise } from './label-noise';
export type { LabelNoiseOptions, LabelNoiseType, NoisyLabels } from './label-noise';
export * from './corruptions';
