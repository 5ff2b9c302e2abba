/**
 * Exact k-nearest-neighbour search, shared by the retrieval metrics and ExactIndex.
 *
 * Queries are processed in chunks so that only a [chunk, N] block of scores exists at a time
 * (70,000 x 70,000 floats would be 19.6 GB): the block comes from one tfjs matmul (float32,
 * fast; read in place on wasm) or from plain float64 loops (exact, for small sets and parity
 * checks), and each row goes through the JS partial selection of topk.ts, which sees only the
 * candidates that beat its current worst. Ties break by the smaller reference index.
 */
import * as tf from '../tf';
import { checkNumber, checkOneOf, fail } from '../validate';
import { type Matrix, type VectorsLike, toMatrix } from '../linalg/matrix';
import { TopK } from '../linalg/topk';

export const KNN_DISTANCES = ['euclidean', 'cosine', 'dot'] as const;
/** euclidean: L2 distance; cosine: 1 - cosine similarity; dot: minus the dot product. Smaller = closer for all three. */
export type KnnDistance = (typeof KNN_DISTANCES)[number];

export const KNN_PRECISIONS = ['float32', 'float64'] as const;
/** float32: tfjs matmul per chunk (fast); float64: plain loops on direct differences (exact). */
export type KnnPrecision = (typeof KNN_PRECISIONS)[number];

export interface KnnOptions {
  /** Neighbours per query. */
  k: number;
  /** Vectors searched; omitted = the queries themselves (self-retrieval). */
  reference?: VectorsLike;
  /** Default 'euclidean'. */
  distance?: KnnDistance;
  /** Skip reference row i for query i; default true when `reference` is omitted. */
  excludeSelf?: boolean;
  /** Default 'float32'. */
  precision?: KnnPrecision;
  /** Memory budget for one chunk's score block, in bytes (default 64 MiB). */
  chunkBytes?: number;
}

/** Neighbours of a run of consecutive queries, row-major [rows, k]. */
export interface KnnChunk {
  /** Index of the chunk's first query. */
  start: number;
  rows: number;
  k: number;
  /** Reference row indices, best first. */
  indices: Int32Array;
  /** Distances in the sense of KnnDistance (smaller = closer). */
  distances: Float32Array;
}

export interface KnnResult extends KnnChunk {
  /** How many chunks the queries were split into. */
  chunks: number;
}

interface Resolved {
  k: number;
  distance: KnnDistance;
  excludeSelf: boolean;
  precision: KnnPrecision;
  chunkRows: number;
}

function resolve(fn: string, queries: Matrix, reference: Matrix, options: KnnOptions, selfDefault: boolean): Resolved {
  if (reference.dims !== queries.dims) {
    fail(fn, 'reference', `have the queries' dimension (${queries.dims})`, reference.dims);
  }
  const excludeSelf = options.excludeSelf ?? selfDefault;
  if (excludeSelf && reference.rows !== queries.rows) {
    fail(
      fn,
      'excludeSelf',
      `pair query i with reference i (${queries.rows} rows each)`,
      `${reference.rows} reference rows`,
    );
  }
  const available = reference.rows - (excludeSelf ? 1 : 0);
  const k = checkNumber(fn, 'k', options.k, { min: 1, max: Math.max(1, available), integer: true });
  const chunkBytes = checkNumber(fn, 'chunkBytes', options.chunkBytes ?? 64 * 2 ** 20, { min: 1 });
  return {
    k,
    distance: checkOneOf(fn, 'distance', options.distance ?? 'euclidean', KNN_DISTANCES),
    excludeSelf,
    precision: checkOneOf(fn, 'precision', options.precision ?? 'float32', KNN_PRECISIONS),
    chunkRows: Math.max(1, Math.floor(chunkBytes / (4 * reference.rows))),
  };
}

function rowNorms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let d = i * m.dims; d < (i + 1) * m.dims; d++) s += m.data[d] * m.data[d];
    out[i] = Math.sqrt(s);
  }
  return out;
}

function normalized(m: Matrix, norms: Float64Array): Matrix {
  const data = new Float32Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    const inv = norms[i] > 0 ? 1 / norms[i] : 0;
    for (let d = i * m.dims; d < (i + 1) * m.dims; d++) data[d] = m.data[d] * inv;
  }
  return { data, rows: m.rows, dims: m.dims };
}

/**
 * Produces ranking scores (smaller = closer) for a block of query rows, row-major [rows, N].
 * The score may differ from the reported distance by a per-query constant or a monotone map.
 * The returned array is only valid until the next call (it may be a view into wasm memory).
 */
interface BlockScorer {
  score(start: number, rows: number): Float32Array | Float64Array;
  dispose(): void;
}

/** A tensor's values without a copy where the backend keeps them in wasm memory (a view). */
function readView(t: tf.Tensor): Float32Array {
  const backend = tf.engine().backend as tf.KernelBackend & { typedArrayFromHeap?: (t: tf.TensorInfo) => unknown };
  if (typeof backend.typedArrayFromHeap === 'function' && tf.getBackend() === 'wasm') {
    return backend.typedArrayFromHeap({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }) as Float32Array;
  }
  return t.dataSync() as Float32Array;
}

/**
 * One matmul per block gives the scores directly. Euclidean ranks by ||r||² - 2 q·r (||q||² is
 * constant per row, added back for the k kept): an extra column folds it into the product,
 * [q, 1] · [-2rᵀ; ||r||²], so no second pass adds the norms. The block is read in place.
 */
function float32Scorer(q: Matrix, r: Matrix, distance: KnnDistance, chunkRows: number): BlockScorer {
  const euclidean = distance === 'euclidean';
  const D = q.dims;
  const width = euclidean ? D + 1 : D;
  const refT = new Float32Array(width * r.rows);
  for (let j = 0; j < r.rows; j++) {
    let norm2 = 0;
    for (let d = 0; d < D; d++) {
      const v = r.data[j * D + d];
      refT[d * r.rows + j] = euclidean ? -2 * v : -v;
      norm2 += v * v;
    }
    if (euclidean) refT[D * r.rows + j] = norm2;
  }
  const ref = tf.tensor2d(refT, [width, r.rows]);
  const qs = new Float32Array(width * Math.max(1, Math.min(q.rows, chunkRows)));
  let block: tf.Tensor | null = null;
  return {
    score(start, rows) {
      block?.dispose();
      for (let i = 0; i < rows; i++) {
        qs.set(q.data.subarray((start + i) * D, (start + i + 1) * D), i * width);
        if (euclidean) qs[i * width + D] = 1;
      }
      block = tf.tidy(() => tf.matMul(tf.tensor2d(qs.subarray(0, rows * width), [rows, width]), ref));
      return readView(block);
    },
    dispose() {
      block?.dispose();
      ref.dispose();
    },
  };
}

function float64Scorer(q: Matrix, r: Matrix, distance: KnnDistance, chunkRows: number): BlockScorer {
  const D = q.dims;
  const out = new Float64Array(chunkRows * r.rows);
  return {
    score(start, rows) {
      for (let i = 0; i < rows; i++) {
        const oq = (start + i) * D;
        for (let j = 0; j < r.rows; j++) {
          const or = j * D;
          let s = 0;
          if (distance === 'euclidean') {
            for (let d = 0; d < D; d++) {
              const t = q.data[oq + d] - r.data[or + d];
              s += t * t;
            }
          } else {
            for (let d = 0; d < D; d++) s -= q.data[oq + d] * r.data[or + d];
          }
          out[i * r.rows + j] = s;
        }
      }
      return out;
    },
    dispose() {},
  };
}

/**
 * Hands out the first query row of the next chunk to work on (chunkRows rows each); a value at or
 * past the number of queries means none is left. Threads that share one (an atomic counter in
 * shared memory) split the queries between them.
 */
export type ChunkClaim = (chunkRows: number) => number;

function sequentialChunks(): ChunkClaim {
  let next = 0;
  return (chunkRows) => {
    const start = next;
    next += chunkRows;
    return start;
  };
}

/**
 * Runs exact k-NN chunk by chunk, handing each chunk to `visit` (the chunk's arrays are reused,
 * so copy what must outlive the call). This is how 70,000 queries are evaluated in bounded memory.
 * `claim` (default: every chunk, in order) lets several threads share the chunks.
 *
 * @example
 * forEachKnnChunk(toMatrix('f', x), null, { k: 5 }, (c) => console.log(c.start, c.indices[0]));
 */
export function forEachKnnChunk(
  queries: Matrix,
  reference: Matrix | null,
  options: KnnOptions,
  visit: (chunk: KnnChunk) => void,
  fn = 'knn',
  claim?: ChunkClaim,
): number {
  const ref = reference ?? queries;
  const o = resolve(fn, queries, ref, options, reference === null);
  let q = queries;
  let r = ref;
  let qNorm2: Float64Array | null = null;
  if (o.distance === 'cosine') {
    // Unit rows turn cosine similarity into a dot product (zero rows stay zero: similarity 0).
    q = normalized(queries, rowNorms(queries));
    r = ref === queries ? q : normalized(ref, rowNorms(ref));
  } else if (o.distance === 'euclidean' && o.precision === 'float32') {
    qNorm2 = rowNorms(queries).map((v) => v * v);
  }
  const scorer =
    o.precision === 'float32'
      ? float32Scorer(q, r, o.distance, o.chunkRows)
      : float64Scorer(q, r, o.distance, o.chunkRows);
  const N = r.rows;
  const top = new TopK(o.k);
  const scores = new Float64Array(o.chunkRows * o.k);
  const indices = new Int32Array(o.chunkRows * o.k);
  const distances = new Float32Array(o.chunkRows * o.k);
  let chunks = 0;
  try {
    const next = claim ?? sequentialChunks();
    for (let start = next(o.chunkRows); start < q.rows; start = next(o.chunkRows)) {
      const rows = Math.min(o.chunkRows, q.rows - start);
      const block = scorer.score(start, rows);
      for (let i = 0; i < rows; i++) {
        const base = i * N;
        const self = o.excludeSelf ? start + i : -1;
        // Most candidates lose to the worst kept score: test that here, push only the rest.
        let worst = Infinity;
        for (let j = 0; j < N; j++) {
          const s = block[base + j];
          if ((s >= worst && top.size === o.k) || j === self) continue;
          top.push(s, j);
          worst = top.worst();
        }
        top.drainSorted(scores, indices, i * o.k);
        const qn = qNorm2 ? qNorm2[start + i] : 0;
        for (let t = 0; t < o.k; t++) distances[i * o.k + t] = toDistance(o.distance, scores[i * o.k + t], qn);
      }
      chunks++;
      visit({
        start,
        rows,
        k: o.k,
        indices: indices.subarray(0, rows * o.k),
        distances: distances.subarray(0, rows * o.k),
      });
    }
  } finally {
    scorer.dispose();
  }
  return chunks;
}

function toDistance(distance: KnnDistance, score: number, qNorm2: number): number {
  switch (distance) {
    case 'euclidean':
      return Math.sqrt(Math.max(0, score + qNorm2));
    case 'cosine':
      return 1 + score;
    case 'dot':
      return score;
  }
}

/**
 * Exact k nearest neighbours of every query (in the reference, or among the queries themselves
 * with each query's own row excluded). Returns row-major [queries, k] indices and distances.
 *
 * @example
 * const { indices, distances } = knn([[0], [1], [3]], { k: 1 });
 * // indices [1, 0, 1]; distances [1, 1, 2]  (ties would go to the smaller index)
 */
export function knn(queries: VectorsLike, options: KnnOptions): KnnResult {
  const q = toMatrix('knn', queries, 'queries');
  const r = options.reference === undefined ? null : toMatrix('knn', options.reference, 'reference');
  const k = options.k;
  const indices = new Int32Array(q.rows * (Number.isInteger(k) && k > 0 ? k : 0));
  const distances = new Float32Array(indices.length);
  const chunks = forEachKnnChunk(q, r, options, (c) => {
    indices.set(c.indices, c.start * c.k);
    distances.set(c.distances, c.start * c.k);
  });
  return { start: 0, rows: q.rows, k, indices, distances, chunks };
}
