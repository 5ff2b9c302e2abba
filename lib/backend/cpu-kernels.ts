/**
 * Kernel replacements for tfjs's pure-JS cpu backend. Its UnsortedSegmentSum (the gradient of
 * gather) builds one equality mask per segment; the triplet loss gathers from the flattened
 * [N·N] distance matrix, so at batch 256 that is 65,536 masks and about 14 s per training step.
 * The library's one-pass kernel (kernels/unsorted-segment-sum.ts, also used for wasm) reads and
 * writes through the backend interface, so it serves cpu as well, with tfjs's kernel as the
 * fallback for non-float32 data.
 *
 * Called by select.ts whenever the cpu backend is selected.
 *
 * @example
 * await tf.setBackend('cpu');
 * registerCpuKernels(); // ['UnsortedSegmentSum']
 * registerCpuKernels(); // the same list; nothing is wrapped twice
 */
import * as tf from '../tf';
import { unsortedSegmentSumKernel } from './kernels/unsorted-segment-sum';

/** cpu kernels replaced by a faster one that takes tfjs's kernel as its fallback. */
export const REPLACED_CPU_KERNELS: Readonly<Record<string, (fallback: tf.KernelFunc) => tf.KernelFunc>> = {
  UnsortedSegmentSum: unsortedSegmentSumKernel,
};

// Module-level: wrapping twice would make the first wrapper the second one's fallback.
let replaced: string[] | null = null;

/**
 * Replaces REPLACED_CPU_KERNELS on the cpu backend. Idempotent: returns the same names every time.
 *
 * @example
 * registerCpuKernels().includes('UnsortedSegmentSum'); // true
 */
export function registerCpuKernels(): string[] {
  if (replaced) return [...replaced];
  const names = Object.keys(REPLACED_CPU_KERNELS).sort();
  for (const kernelName of names) {
    const shipped = tf.getKernel(kernelName, 'cpu');
    if (!shipped) {
      throw new Error(`Error in registerCpuKernels: ${kernelName} must be registered for cpu, but got none`);
    }
    tf.unregisterKernel(kernelName, 'cpu');
    tf.registerKernel({ ...shipped, kernelFunc: REPLACED_CPU_KERNELS[kernelName](shipped.kernelFunc) });
  }
  replaced = names;
  return [...names];
}
