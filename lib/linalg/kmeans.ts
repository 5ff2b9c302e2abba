/**
 * k-means with k-means++ seeding (Arthur & Vassilvitskii 2007), several seeded restarts, the run
 * with the lowest inertia kept. Plain float64 loops on a row-major matrix: the IVF index reuses it
 * for its coarse quantizer, and the cost (N·k·D per iteration) is small next to k-NN.
 */
import { type SeedLike, toRandom } from '../random';
import { checkNumber } from '../validate';
import { type Matrix, type VectorsLike, toMatrix } from './matrix';

export interface KMeansOptions {
  k: number;
  seed: SeedLike;
  /** Restarts; the lowest inertia wins (default 4). */
  restarts?: number;
  /** Lloyd iterations per restart (default 100). */
  maxIterations?: number;
  /** Stop when inertia improves by less than this fraction (default 1e-6). */
  tolerance?: number;
}

export interface KMeansResult {
  /** [k, D] centroids. */
  centroids: Matrix;
  /** Cluster of each row. */
  assignments: Int32Array;
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

function nearest(x: Matrix, i: number, c: Float64Array, k: number): [number, number] {
  const D = x.dims;
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let d = 0; d < D; d++) {
      const t = x.data[i * D + d] - c[j * D + d];
      s += t * t;
    }
    if (s < bestD) {
      bestD = s;
      best = j;
    }
  }
  return [best, bestD];
}

function seedPlusPlus(x: Matrix, k: number, rng: ReturnType<typeof toRandom>): Float64Array {
  const D = x.dims;
  const c = new Float64Array(k * D);
  const d2 = new Float64Array(x.rows).fill(Infinity);
  let pick = rng.int(x.rows);
  for (let j = 0; j < k; j++) {
    for (let d = 0; d < D; d++) c[j * D + d] = x.data[pick * D + d];
    let total = 0;
    for (let i = 0; i < x.rows; i++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const t = x.data[i * D + d] - c[j * D + d];
        s += t * t;
      }
      if (s < d2[i]) d2[i] = s;
      total += d2[i];
    }
    // Next centre drawn with probability proportional to D(x)^2; all-duplicate data falls back to uniform.
    let u = rng.uniform() * total;
    pick = total > 0 ? x.rows - 1 : rng.int(x.rows);
    if (total > 0) {
      for (let i = 0; i < x.rows; i++) {
        u -= d2[i];
        if (u < 0) {
          pick = i;
          break;
        }
      }
    }
  }
  return c;
}

function lloyd(x: Matrix, c: Float64Array, k: number, maxIterations: number, tolerance: number) {
  const D = x.dims;
  const assignments = new Int32Array(x.rows);
  let inertia = Infinity;
  let iterations = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations++;
    let next = 0;
    for (let i = 0; i < x.rows; i++) {
      const [j, d] = nearest(x, i, c, k);
      assignments[i] = j;
      next += d;
    }
    const sums = new Float64Array(k * D);
    const counts = new Int32Array(k);
    for (let i = 0; i < x.rows; i++) {
      const j = assignments[i];
      counts[j]++;
      for (let d = 0; d < D; d++) sums[j * D + d] += x.data[i * D + d];
    }
    // Empty clusters keep their centre (k-means++ seeding makes them rare).
    for (let j = 0; j < k; j++)
      if (counts[j] > 0) for (let d = 0; d < D; d++) c[j * D + d] = sums[j * D + d] / counts[j];
    const done = inertia - next <= tolerance * next;
    inertia = next;
    if (done) break;
  }
  // Final assignment against the final centres, so inertia and assignments agree.
  inertia = 0;
  for (let i = 0; i < x.rows; i++) {
    const [j, d] = nearest(x, i, c, k);
    assignments[i] = j;
    inertia += d;
  }
  return { assignments, inertia, iterations };
}

/**
 * Clusters rows into k groups; the same seed gives the same result.
 *
 * @example
 * const r = kMeans([[0], [0.1], [10], [10.1]], { k: 2, seed: 1 });
 * r.assignments; // e.g. [0, 0, 1, 1]; r.inertia ≈ 0.01
 */
export function kMeans(vectors: VectorsLike, options: KMeansOptions): KMeansResult {
  const fn = 'kMeans';
  const x = toMatrix(fn, vectors);
  const k = checkNumber(fn, 'k', options.k, { min: 1, max: x.rows, integer: true });
  const restarts = checkNumber(fn, 'restarts', options.restarts ?? 4, { min: 1, integer: true });
  const maxIterations = checkNumber(fn, 'maxIterations', options.maxIterations ?? 100, { min: 1, integer: true });
  const tolerance = checkNumber(fn, 'tolerance', options.tolerance ?? 1e-6, { min: 0 });
  const rng = toRandom(options.seed);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const c = seedPlusPlus(x, k, rng);
    const run = lloyd(x, c, k, maxIterations, tolerance);
    if (!best || run.inertia < best.inertia) {
      best = { ...run, centroids: { data: Float32Array.from(c), rows: k, dims: x.dims } };
    }
  }
  return best as KMeansResult;
}
