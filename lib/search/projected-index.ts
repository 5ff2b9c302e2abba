/**
 * PCA in front of an index: stored vectors and queries are projected to fewer dimensions first,
 * so the inner index holds (and scans) outputDims floats per vector instead of D.
 */
import type { SearchResult, VectorIndex } from './exact-index';
import { indexBytes } from './index-bytes';
import type { VectorsLike } from '../linalg/matrix';
import type { Pca } from '../linalg/pca';

/** An index that can grow and shrink (every index of lib/search). */
export interface MutableIndex extends VectorIndex {
  add(vectors: VectorsLike, ids?: ArrayLike<number>): void;
  remove(ids: ArrayLike<number>): number;
}

/**
 * @example
 * const pca = Pca.fit(vectors, 16);
 * const index = new ProjectedIndex(pca, new ExactIndex(16));
 * index.add(vectors);                 // stored as 16 floats each
 * index.search(queries, 10);          // queries of the original dimension
 */
export class ProjectedIndex implements MutableIndex {
  constructor(
    readonly pca: Pca,
    readonly inner: MutableIndex,
  ) {
    if (inner.dims !== pca.outputDims) {
      throw new Error(
        `Error in ProjectedIndex: inner must have ${pca.outputDims} dims (the PCA's output), but got ${inner.dims}`,
      );
    }
  }

  get dims(): number {
    return this.pca.inputDims;
  }

  get size(): number {
    return this.inner.size;
  }

  add(vectors: VectorsLike, ids?: ArrayLike<number>): void {
    this.inner.add(this.pca.transform(vectors), ids);
  }

  remove(ids: ArrayLike<number>): number {
    return this.inner.remove(ids);
  }

  search(queries: VectorsLike, k: number): SearchResult {
    return this.inner.search(this.pca.transform(queries), k);
  }

  /** The inner index's bytes plus the PCA's mean and components as float32. */
  memoryBytes(): number {
    return indexBytes(this.inner) + 4 * (this.pca.mean.length + this.pca.components.length);
  }
}
