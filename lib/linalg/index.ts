/**
 * The numeric floor that eval, search and viz share: row-major float matrices, top-k selection,
 * the symmetric eigensolver, PCA and k-means. Plain typed-array code, no tensors after the
 * conversion in toMatrix; nothing here imports eval or search.
 *
 * @example
 * import { kMeans } from 'metriclab';
 * kMeans([[0, 0], [0, 1], [9, 9], [9, 8]], { k: 2, seed: 1 }).assignments; // two clusters of two
 */
export * from './matrix';
export * from './topk';
export { symmetricEigen } from './eigen';
export type { SymmetricEigen } from './eigen';
// covariance / principalAxes / projectOntoAxes stay internal (shared with eval and viz, which
// validate their own inputs); the public PCAs are Pca here and pca() in viz. The heap moves
// (siftUp, siftDown, MinHeap) are internal to TopK and HNSW.
export { Pca } from './pca';
export * from './kmeans';
