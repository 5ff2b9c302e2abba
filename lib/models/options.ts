/**
 * Options shared by the embedders and the checks for them, so `mlpEmbedder` and `cnnEmbedder`
 * validate the same way and name themselves in their messages.
 */
import { checkNumber, fail } from '../validate';
import type { SeedLike } from '../random';

export const ACTIVATIONS = ['relu', 'elu', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The part every embedder shares: the embedding head and the seed. */
export interface HeadOptions {
  /** Size of the embedding. Default 64. */
  embeddingDim?: number;
  /**
   * Width of a hidden layer in a projection head (dense → ReLU → dense to embeddingDim), as in
   * SimCLR. Omitted: the embedding is one linear layer on the backbone's features.
   */
  projection?: number;
  /** Append the L2Normalize layer so embeddings have unit norm. Default true. */
  normalize?: boolean;
  /** Seed (or generator) for the weight initialisers. */
  seed: SeedLike;
}

export interface ResolvedHead {
  embeddingDim: number;
  projection: number | undefined;
  normalize: boolean;
}

export function checkPositiveInt(fn: string, arg: string, value: unknown): number {
  return checkNumber(fn, arg, value, { min: 1, integer: true });
}

export function checkShape(fn: string, arg: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) fail(fn, arg, 'be a non-empty array of positive integers', value);
  value.forEach((v, i) => checkPositiveInt(fn, `${arg}[${i}]`, v));
  return value as number[];
}

export function resolveHead(fn: string, options: HeadOptions): ResolvedHead {
  if (options.seed === undefined) fail(fn, 'seed', 'be given (an integer or a Random)', 'undefined');
  return {
    embeddingDim: checkPositiveInt(fn, 'embeddingDim', options.embeddingDim ?? 64),
    projection: options.projection === undefined ? undefined : checkPositiveInt(fn, 'projection', options.projection),
    normalize: options.normalize ?? true,
  };
}
