/** Evaluation: retrieval, clustering, verification metrics, embedding health, summary stats (k-means is in lib/linalg). */
export * from './retrieval';
export * from './clustering';
export * from './verification';
export * from './health';
export * from './stats';
export * from './compare';
export { studentTCdf, studentTQuantile } from './student-t';
export * from './norms';
export * from './ranking-agreement';
export * from './few-shot';
export * from './drift';
export * from './knn-accuracy';
export * from './rank-correlation';
export * from './average-precision';
