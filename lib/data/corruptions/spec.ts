import type { Random } from '../../random';
import type { Gray } from './image-ops';

/**
 * One corruption: a parameter per severity 1..5 and a per-image function. `apply` writes the
 * corrupted image into `out` (before clipping) and draws from `rng` the same way at every
 * severity, so severities differ only in strength, never in the random layout.
 */
export interface CorruptionSpec {
  /** What it does, for tables in notebooks. */
  description: string;
  /** What `levels` measure (e.g. 'degrees'). */
  parameter: string;
  /** The parameter at severity 1..5. */
  levels: readonly [number, number, number, number, number];
  apply(src: Gray, out: Float32Array, value: number, rng: Random): void;
}

/** A random sign, ±1. */
export function randomSign(rng: Random): number {
  return rng.bernoulli(0.5) ? 1 : -1;
}
