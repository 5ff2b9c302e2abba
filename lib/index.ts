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
export * from './eval';
export * from './search';
export * from './models';
export * from './train';
export * from './viz';
export * from './data';
export * from './samplers';
export * from './notebook';
export * from './distances';
export * from './reducers';
export * from './losses';
export * from './miners';
export * from './parity';
export * from './course';
