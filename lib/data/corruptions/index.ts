/**
 * Domain shift: MNIST-C style corruptions by name and severity, and training-time augmentation.
 *
 * @example
 * import { CORRUPTIONS, corrupt } from 'metriclab';
 * const foggy = corrupt(images, 'fog', 3, { seed: 0 });
 */
export { CORRUPTIONS, CORRUPTION_INFO, MAX_SEVERITY, corrupt, corruptPixels, type CorruptionName } from './registry';
export type { CorruptionSpec } from './spec';
export { augment, type AugmentOptions } from './augment';
