/**
 * Nearest-neighbour search: exact k-NN, exact, IVF and HNSW indexes, PCA-projected and quantized
 * (int8, int4, product-quantized) indexes. The matrices, top-k, PCA and k-means they are built on
 * live in lib/linalg.
 */
export * from './exact';
export * from './exact-index';
export * from './ivf';
export * from './hnsw';
export * from './quantize';
export * from './evaluate';
export * from './usearch-index';
export * from './int4-quantizer';
export * from './product-quantizer';
export * from './quantized-index';
export * from './index-bytes';
export * from './projected-index';
export * from './search-benchmark';
