/** Nearest-neighbour search: exact k-NN, exact, IVF and HNSW indexes, PCA and int8 compression. */
export * from './matrix';
export * from './topk';
export * from './exact';
export * from './exact-index';
export * from './ivf';
export * from './hnsw';
export { symmetricEigen } from './eigen';
export type { SymmetricEigen } from './eigen';
// covariance / principalAxes / projectOntoAxes stay internal (shared with eval and viz, which
// validate their own inputs); the public PCAs are Pca here and pca() in viz.
export { Pca } from './pca';
export * from './quantize';
export * from './evaluate';
export * from './usearch-index';
export * from './int4-quantizer';
export * from './product-quantizer';
export * from './quantized-index';
export * from './index-bytes';
export * from './projected-index';
export * from './search-benchmark';
