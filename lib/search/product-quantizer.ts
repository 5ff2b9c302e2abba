/**
 * Product quantization (Jégou, Douze & Schmid 2011; faiss IndexPQ): the D dimensions are cut
 * into m sub-vectors, each sub-space gets its own k-means codebook of 256 centroids, and a vector
 * is stored as m one-byte centroid numbers. A query is compared with the codes without decoding
 * them (asymmetric distance): one table of squared distances from each query sub-vector to each
 * centroid, then m table look-ups per stored vector.
 */
import { kMeans } from '../linalg/kmeans';
import { type SeedLike, toRandom } from '../random';
import { checkNumber, fail } from '../validate';
import { type Matrix, type VectorsLike, takeRows, toMatrix } from '../linalg/matrix';

/** Centroids per sub-space: one byte per code. */
export const PQ_CENTROIDS = 256;

export interface ProductQuantizerOptions {
  /** Number of sub-vectors (bytes per code); must divide the dimension. */
  m: number;
  seed: SeedLike;
  /** Training sample (default min(N, 64·256)); faiss warns below 39 points per centroid. */
  trainSize?: number;
  /** Lloyd iterations per sub-space (default 20). */
  iterations?: number;
}

/**
 * @example
 * const pq = ProductQuantizer.fit(vectors, { m: 8, seed: 1 }); // vectors: [N, 64], N >= 256
 * const codes = pq.encode(vectors);        // Uint8Array, N·8 bytes
 * const query = Float32Array.from(queries[0]);
 * const table = pq.distanceTable(query);   // Float32Array [8 · 256]
 * pq.asymmetricDistance(table, codes, 0);  // ≈ squared distance from query to vector 0
 */
export class ProductQuantizer {
  private constructor(
    readonly dims: number,
    readonly m: number,
    /** [m, 256, D/m] row-major: sub-space j's centroid c starts at (j·256 + c)·D/m. */
    readonly codebooks: Float32Array,
  ) {}

  /** Dimensions per sub-vector. */
  get subDims(): number {
    return this.dims / this.m;
  }

  /** Bytes of one code: m. */
  get bytesPerVector(): number {
    return this.m;
  }

  /** Bytes of the codebooks (float32): 256 · D · 4, whatever m. */
  get codebookBytes(): number {
    return this.codebooks.byteLength;
  }

  static fit(vectors: VectorsLike, options: ProductQuantizerOptions): ProductQuantizer {
    const fn = 'ProductQuantizer.fit';
    const x = toMatrix(fn, vectors);
    const m = checkNumber(fn, 'm', options.m, { min: 1, integer: true });
    if (x.dims % m !== 0) fail(fn, 'm', `divide the dimension (${x.dims})`, m);
    if (x.rows < PQ_CENTROIDS) fail(fn, 'vectors', `have at least ${PQ_CENTROIDS} rows (one per centroid)`, x.rows);
    const trainSize = checkNumber(fn, 'trainSize', options.trainSize ?? Math.min(x.rows, 64 * PQ_CENTROIDS), {
      min: PQ_CENTROIDS,
      integer: true,
    });
    const iterations = checkNumber(fn, 'iterations', options.iterations ?? 20, { min: 1, integer: true });
    const rng = toRandom(options.seed);
    const sample = trainSize < x.rows ? takeRows(x, rng.permutation(x.rows).subarray(0, trainSize)) : x;
    const ds = x.dims / m;
    const codebooks = new Float32Array(m * PQ_CENTROIDS * ds);
    for (let j = 0; j < m; j++) {
      const sub = subMatrix(sample, j * ds, ds);
      const { centroids } = kMeans(sub, {
        k: PQ_CENTROIDS,
        seed: rng.fork(`pq-${j}`),
        restarts: 1,
        maxIterations: iterations,
      });
      codebooks.set(centroids.data, j * PQ_CENTROIDS * ds);
    }
    return new ProductQuantizer(x.dims, m, codebooks);
  }

  /** The nearest centroid of each sub-vector: N·m bytes, row after row. */
  encode(vectors: VectorsLike): Uint8Array {
    const fn = 'ProductQuantizer.encode';
    const x = toMatrix(fn, vectors);
    if (x.dims !== this.dims) fail(fn, 'vectors', `have ${this.dims} columns`, x.dims);
    const ds = this.subDims;
    const out = new Uint8Array(x.rows * this.m);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < this.m; j++) {
        const at = i * this.dims + j * ds;
        let best = 0;
        let bestD = Infinity;
        for (let c = 0; c < PQ_CENTROIDS; c++) {
          const cb = (j * PQ_CENTROIDS + c) * ds;
          let s = 0;
          for (let d = 0; d < ds; d++) {
            const t = x.data[at + d] - this.codebooks[cb + d];
            s += t * t;
          }
          if (s < bestD) [best, bestD] = [c, s];
        }
        out[i * this.m + j] = best;
      }
    }
    return out;
  }

  /** The vectors the codes stand for (each sub-vector replaced by its centroid). */
  decode(codes: Uint8Array): Matrix {
    if (codes.length % this.m !== 0)
      fail('ProductQuantizer.decode', 'codes', `have a multiple of ${this.m} bytes`, codes.length);
    const rows = codes.length / this.m;
    const ds = this.subDims;
    const data = new Float32Array(rows * this.dims);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < this.m; j++) {
        const cb = (j * PQ_CENTROIDS + codes[i * this.m + j]) * ds;
        data.set(this.codebooks.subarray(cb, cb + ds), i * this.dims + j * ds);
      }
    }
    return { data, rows, dims: this.dims };
  }

  /** Squared distances from each sub-vector of `query` (length D) to each centroid: [m · 256]. */
  distanceTable(query: Float32Array): Float32Array {
    if (query.length !== this.dims)
      fail('ProductQuantizer.distanceTable', 'query', `have ${this.dims} values`, query.length);
    const ds = this.subDims;
    const table = new Float32Array(this.m * PQ_CENTROIDS);
    for (let j = 0; j < this.m; j++) {
      for (let c = 0; c < PQ_CENTROIDS; c++) {
        const cb = (j * PQ_CENTROIDS + c) * ds;
        let s = 0;
        for (let d = 0; d < ds; d++) {
          const t = query[j * ds + d] - this.codebooks[cb + d];
          s += t * t;
        }
        table[j * PQ_CENTROIDS + c] = s;
      }
    }
    return table;
  }

  /** Asymmetric squared distance from the table's query to code `row` of `codes`: m look-ups. */
  asymmetricDistance(table: Float32Array, codes: Uint8Array, row: number): number {
    let s = 0;
    for (let j = 0; j < this.m; j++) s += table[j * PQ_CENTROIDS + codes[row * this.m + j]];
    return s;
  }
}

/** Columns [from, from + width) of m as their own matrix. */
function subMatrix(x: Matrix, from: number, width: number): Matrix {
  const data = new Float32Array(x.rows * width);
  for (let i = 0; i < x.rows; i++) data.set(x.data.subarray(i * x.dims + from, i * x.dims + from + width), i * width);
  return { data, rows: x.rows, dims: width };
}
