/**
 * Pairwise distances and similarities between embeddings. A distance knows its direction
 * (`isInverted` is true for similarities, where larger means closer), so losses and miners are
 * written once and never branch on which distance they were given (pytorch-metric-learning's
 * BaseDistance).
 *
 * @example
 * const d = distances.euclidean({ squared: false, normalize: true });
 * const m = d.pairwise(embeddings);           // [N, N], one matmul
 * const apDist = tf.tensor1d([0.3, 0.9]);     // anchor-positive distances
 * const v = d.margin(apDist, tf.tensor1d([0.5, 0.4])); // d_ap - d_an = [-0.2, 0.5] (for cosine: s_an - s_ap)
 */
import * as tf from './tf';
import { checkOneOf } from './validate';

export type DistanceName = 'euclidean' | 'cosine' | 'dot';

export interface Distance {
  readonly name: DistanceName;
  /** True for similarities (cosine, dot): larger means closer. */
  readonly isInverted: boolean;
  /** Whether embeddings are L2-normalized before the distance. */
  readonly normalize: boolean;
  /** Only for euclidean: squared distances. */
  readonly squared: boolean;
  /** [N, M] matrix between the rows of x and y (y defaults to x). */
  pairwise(x: tf.Tensor2D, y?: tf.Tensor2D): tf.Tensor2D;
  /** [N] values between row i of x and row i of y. */
  paired(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D;
  /** How much farther x is than y: x - y for distances, y - x for similarities. */
  margin(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /** The same on plain numbers (miners work in JavaScript after one read). */
  marginOf(x: number, y: number): number;
  /** Element-wise the closer of the two (min for distances, max for similarities). */
  smallest(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /** Element-wise the farther of the two. */
  largest(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
}

const SQRT_EPS = 1e-12;

/**
 * sqrt(max(x, 0)) whose gradient is 0 where x <= 1e-12 instead of Infinity, so a zero distance
 * (the diagonal, duplicate embeddings) never turns a gradient into NaN.
 *
 * @example
 * tf.grad((x) => safeSqrt(x).sum())(tf.tensor1d([0, 4])); // [0, 0.25]
 */
export function safeSqrt<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const clamped = tf.relu(input);
    save([clamped]);
    return {
      value: tf.sqrt(clamped),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
        const s = saved[0];
        const safe = tf.maximum(s, SQRT_EPS);
        return tf.where(tf.greater(s, SQRT_EPS), tf.div(tf.mul(dy, 0.5), tf.sqrt(safe)), tf.zerosLike(s));
      },
    };
  });
  return f(x) as T;
}

/**
 * Rows divided by their L2 norm (norms below 1e-12 are clamped, as torch's F.normalize does).
 *
 * @example
 * l2NormalizeRows(tf.tensor2d([[3, 4]])); // [[0.6, 0.8]]
 */
export function l2NormalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = safeSqrt(tf.sum(tf.square(x), 1, true));
    return tf.div(x, tf.maximum(norm, SQRT_EPS));
  });
}

interface Direction {
  isInverted: boolean;
}

function directional(d: Direction): Pick<Distance, 'margin' | 'marginOf' | 'smallest' | 'largest'> {
  const sign = d.isInverted ? -1 : 1;
  return {
    margin: (x, y) => (d.isInverted ? tf.sub(y, x) : tf.sub(x, y)),
    marginOf: (x: number, y: number): number => sign * (x - y),
    smallest: (x, y) => (d.isInverted ? tf.maximum(x, y) : tf.minimum(x, y)),
    largest: (x, y) => (d.isInverted ? tf.minimum(x, y) : tf.maximum(x, y)),
  };
}

/** What a distance made by this module computes, for code that fuses it (losses/fused-pairs.ts). */
export interface LibraryDistanceKind {
  /** 'euclidean': from |x|² + |y|² - 2xyᵀ; 'dot': xyᵀ itself (cosine is dot on normalized rows). */
  base: 'euclidean' | 'dot';
  normalize: boolean;
  squared: boolean;
}

const libraryKinds = new WeakMap<Distance, LibraryDistanceKind>();

/** The kind of a distance made by `distances.*`; undefined for any other Distance object. */
export function libraryDistanceKind(d: Distance): LibraryDistanceKind | undefined {
  return libraryKinds.get(d);
}

function registered(d: Distance, kind: LibraryDistanceKind): Distance {
  libraryKinds.set(d, kind);
  return d;
}

function prepare(x: tf.Tensor2D, normalize: boolean): tf.Tensor2D {
  return normalize ? l2NormalizeRows(x) : x;
}

/**
 * Base matrices (before a distance's last element-wise step) computed while `sharePairwise`
 * runs, by kind and operand ids; null outside it.
 */
let sharedBases: Map<string, tf.Tensor> | null = null;

/**
 * Runs `fn` with pairwise matrices shared: the first `pairwise(x, y)` of a kind computes the
 * matrix, later ones with the same operand tensors reuse it (squared and plain euclidean on the
 * same normalization share |x|² + |y|² - 2xyᵀ; cosine and normalized dot share xyᵀ). A training
 * step uses it so the miner and the loss compute the batch's distance matrix once. The values are
 * the same as without sharing (the same ops on the same inputs). Call it around the whole
 * gradient computation (so the shared matrix is on the tape) and never across an `assign` to
 * the operands (variables are not shared, for that reason); the matrices are disposed when `fn`
 * returns.
 *
 * @example
 * const e = tf.randomNormal([8, 4]) as tf.Tensor2D;
 * sharePairwise(() => {
 *   const forMining = distances.euclidean().pairwise(e);               // computes |x|² + |y|² - 2xyᵀ
 *   const forLoss = distances.euclidean({ squared: true }).pairwise(e); // reuses it: one relu more
 *   return [forMining, forLoss];
 * });
 */
export function sharePairwise<T>(fn: () => T): T {
  if (sharedBases) return fn();
  sharedBases = new Map();
  try {
    return fn();
  } finally {
    const made = [...sharedBases.values()];
    sharedBases = null;
    tf.dispose(made);
  }
}

/** `compute()`, or inside `sharePairwise` the matrix of this kind and these operands made first. */
function sharedBase(kind: string, x: tf.Tensor2D, y: tf.Tensor2D | undefined, compute: () => tf.Tensor): tf.Tensor {
  const other = y ?? x;
  if (!sharedBases || x instanceof tf.Variable || other instanceof tf.Variable) return compute();
  const key = `${kind}|${x.id}|${other.id}`;
  let base = sharedBases.get(key);
  if (!base) {
    base = tf.keep(compute());
    sharedBases.set(key, base);
  }
  return base;
}

/** True while `sharePairwise` runs (a shared base must not be returned as it is: callers dispose results). */
function sharing(): boolean {
  return sharedBases !== null;
}

export interface EuclideanOptions {
  /** Squared L2 (default false). */
  squared?: boolean;
  /** L2-normalize embeddings first (default true, as pytorch-metric-learning's LpDistance). */
  normalize?: boolean;
}

/**
 * Euclidean distance, computed as |x|² + |y|² - 2xyᵀ (one matmul), clamped at 0, then a safe sqrt.
 *
 * @example
 * distances.euclidean({ squared: true }).pairwise(x); // [N, N] squared distances of normalized rows
 */
function euclidean({ squared = false, normalize = true }: EuclideanOptions = {}): Distance {
  const finish = (sq: tf.Tensor): tf.Tensor => (squared ? tf.relu(sq) : safeSqrt(sq));
  return registered(
    {
      name: 'euclidean',
      isInverted: false,
      normalize,
      squared,
      ...directional({ isInverted: false }),
      pairwise: (x, y) =>
        tf.tidy(() => {
          const sq = sharedBase(`euclidean:${normalize}`, x, y, () => {
            const a = prepare(x, normalize);
            const b = y ? prepare(y, normalize) : a;
            const na = tf.sum(tf.square(a), 1, true);
            const nb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
            return tf.sub(tf.add(na, nb), tf.mul(tf.matMul(a, b, false, true), 2));
          });
          return finish(sq) as tf.Tensor2D;
        }),
      paired: (x, y) =>
        tf.tidy(
          () => finish(tf.sum(tf.square(tf.sub(prepare(x, normalize), prepare(y, normalize))), 1)) as tf.Tensor1D,
        ),
    },
    { base: 'euclidean', normalize, squared },
  );
}

function similarity(name: 'cosine' | 'dot', normalize: boolean): Distance {
  return registered(
    {
      name,
      isInverted: true,
      normalize,
      squared: false,
      ...directional({ isInverted: true }),
      pairwise: (x, y) =>
        tf.tidy(() => {
          const product = sharedBase(`dot:${normalize}`, x, y, () => {
            const a = prepare(x, normalize);
            return tf.matMul(a, y ? prepare(y, normalize) : a, false, true);
          });
          return (sharing() ? tf.clone(product) : product) as tf.Tensor2D;
        }),
      paired: (x, y) => tf.tidy(() => tf.sum(tf.mul(prepare(x, normalize), prepare(y, normalize)), 1)),
    },
    { base: 'dot', normalize, squared: false },
  );
}

/**
 * Cosine similarity (larger = closer); embeddings are always normalized.
 *
 * @example
 * distances.cosine().pairwise(x); // [N, N] in [-1, 1]
 */
function cosine(): Distance {
  return similarity('cosine', true);
}

/**
 * Dot-product similarity (larger = closer); `normalize` (default false) makes it cosine.
 *
 * @example
 * distances.dot().pairwise(x); // x xᵀ
 */
function dot({ normalize = false }: { normalize?: boolean } = {}): Distance {
  return similarity('dot', normalize);
}

/**
 * A distance by name (for options given as strings, e.g. from a CLI or a fixture).
 *
 * @example
 * distances.byName('cosine').isInverted; // true
 */
function byName(name: DistanceName, options: EuclideanOptions = {}, fn = 'distance'): Distance {
  switch (checkOneOf(fn, 'distance', name, ['euclidean', 'cosine', 'dot'] as const)) {
    case 'euclidean':
      return euclidean(options);
    case 'cosine':
      return cosine();
    case 'dot':
      return dot({ normalize: options.normalize ?? false });
  }
}

/**
 * The distances of the library.
 *
 * @example
 * import { distances } from 'metriclab';
 * const d = distances.euclidean({ squared: true, normalize: true });
 */
export const distances = { euclidean, cosine, dot, byName };
