/**
 * UMAP projection to 2-D through the umap-js package (PAIR-code), seeded: umap-js draws all its
 * randomness from the `random` function we pass, so the same seed gives the same map.
 */
import { UMAP } from 'umap-js';
import { Random } from '../random';
import { checkNumber, fail } from '../validate';
import { toDense, toRows, type MatrixLike } from './matrix';

export interface UmapOptions {
  /** Seed for umap-js's random choices (default 0). */
  seed?: number;
  /** Output dimensions (default 2). */
  components?: number;
  /** Neighbourhood size: larger keeps more global structure (default 15, umap-learn's default). */
  nNeighbors?: number;
  /** How tightly points may pack (default 0.1, umap-learn's default). */
  minDist?: number;
  /** Optimisation epochs (default: umap-js picks 500 for < 10k points, else 200). */
  nEpochs?: number;
}

/**
 * Projects rows to 2-D with UMAP.
 *
 * @example
 * const points = umap(embeddings, { seed: 1, nNeighbors: 15 });
 * const spec = embeddingMap({ points, labels });
 */
export function umap(data: MatrixLike, options: UmapOptions = {}): number[][] {
  const fn = 'umap';
  const m = toDense(fn, 'data', data, 3);
  const nNeighbors = checkNumber(fn, 'nNeighbors', options.nNeighbors ?? 15, { min: 2, integer: true });
  if (nNeighbors >= m.rows) fail(fn, 'nNeighbors', `be less than the number of rows (${m.rows})`, nNeighbors);
  const params = {
    nComponents: checkNumber(fn, 'components', options.components ?? 2, { min: 1, integer: true }),
    nNeighbors,
    minDist: checkNumber(fn, 'minDist', options.minDist ?? 0.1, { min: 0 }),
    random: (() => {
      const rng = new Random(options.seed ?? 0);
      return () => rng.uniform();
    })(),
    ...(options.nEpochs !== undefined
      ? { nEpochs: checkNumber(fn, 'nEpochs', options.nEpochs, { min: 1, integer: true }) }
      : {}),
  };
  return new UMAP(params).fit(toRows(m));
}
