/** Nearest-neighbour search: exact k-NN, an exact and an IVF index, PCA and int8 compression. */
export * from './matrix';
export * from './topk';
export * from './exact';
export * from './exact-index';
export * from './ivf';
export * from './eigen';
export * from './pca';
export * from './quantize';
export * from './evaluate';
