/**
 * metriclab: deep metric learning on TensorFlow.js. The public API, re-exported by area. The
 * notebook runner is the second entry point, `metriclab/runner` (lib/runner.ts), so this one loads
 * no ZeroMQ, KaTeX or highlight.js; the backend's kernel-registration helpers stay internal.
 *
 * @example
 * import * as ml from 'metriclab';
 * await ml.ready();               // picks the backend (see ml.backendInfo())
 */
export * from './backend/select';
export { isGpuBackend, profileFor, type CourseProfile } from './backend/profile';
export { nativeBlasStatus, setNativeBlasEnabled, type NativeBlasStatus } from './backend/native-blas';
export {
  describeAdapter,
  isSoftwareAdapter,
  type WebGpuAdapterSummary,
  type WebGpuStatus,
} from './backend/webgpu-adapter';
export * from './random';
export * from './types';
export { ArgumentError } from './validate';
export * from './linalg';
export * from './eval';
export * from './search';
export * from './models';
export * from './train';
export * from './viz';
export * from './data';
export * from './samplers';
export * from './distances';
export * from './reducers';
export * from './losses';
export * from './miners';
export * from './parity';
export * from './course';
export * from './attacks';
export * from './continual';
