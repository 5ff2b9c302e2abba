/**
 * Kernels the tfjs wasm backend lacks but training needs (gradients of gather, conv...).
 * Filled in by the backend work; returns the names it registered.
 */
export function registerMissingWasmKernels(): string[] {
  return [];
}
