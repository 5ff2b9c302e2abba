/** Evaluation: retrieval, clustering, verification metrics, embedding health, k-means. */
export * from './retrieval';
export * from './kmeans';
export * from './clustering';
export * from './verification';
export * from './health';
