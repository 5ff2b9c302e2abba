/**
 * metriclab: deep metric learning on TensorFlow.js. The public API, re-exported by area.
 *
 * @example
 * import * as ml from 'metriclab';
 * await ml.ready();               // picks the backend (see ml.backendInfo())
 */
export * from './backend';
export * from './random';
export * from './types';
export { ArgumentError } from './validate';
