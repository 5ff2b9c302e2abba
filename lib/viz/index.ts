/**
 * Plots: vega-lite spec builders, projections to 2-D, in-process SVG/PNG rendering and notebook
 * display.
 *
 * @example
 * import { trainingCurves, show } from 'metriclab';
 * await show(trainingCurves([{ name: 'triplet', points: history.steps }], { metrics: ['loss'] }));
 */
// Shared types only; topLevel/CONFIG and the input checks stay internal to the builders.
export type { TopLevelSpec, PlotOptions } from './spec';
export * from './render';
export * from './show';
export * from './png-encode';
export type { MatrixLike } from './matrix';
export * from './pca';
export * from './umap';
export * from './training-curves';
export * from './embedding-map';
export * from './distance-histogram';
export * from './sweep';
export * from './recall-bars';
export * from './heatmap';
export * from './image-grid';
export * from './neighbor-grid';
export * from './corruption-grid';
