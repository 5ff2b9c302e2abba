/**
 * A flat index over compressed vectors: every stored vector is a code (int8, 4-bit or product
 * quantized) and a query is scored against the codes without decoding them (asymmetric distance,
 * faiss IndexScalarQuantizer / IndexPQ): per query one table of squared distances per code byte,
 * then one look-up per byte of each stored vector. Add and remove need no retraining.
 */
import { checkNumber, fail } from '../validate';
import type { SearchResult, VectorIndex } from './exact-index';
import { INT4_LEVELS, type Int4Quantizer } from './int4-quantizer';
import { type Matrix, type VectorsLike, toMatrix } from '../linalg/matrix';
import { PQ_CENTROIDS, type ProductQuantizer } from './product-quantizer';
import type { ScalarQuantizer } from './quantize';
import { TopK } from '../linalg/topk';

/** How QuantizedIndex stores and scores vectors. */
export interface VectorCodec {
  /** e.g. 'int8', '4-bit', 'PQ m=8'. */
  readonly name: string;
  readonly dims: number;
  readonly bytesPerVector: number;
  /** Bytes of the codec's own parameters (ranges, codebooks), stored once per index. */
  readonly parameterBytes: number;
  encode(vectors: Matrix): Uint8Array;
  /**
   * Look-up table for one query: entry (j, c) = squared distance contributed by code byte j when
   * it holds c, so the distance to a stored vector is the sum over its bytes (bytesPerVector × 256).
   */
  table(query: Float32Array): Float32Array;
}

/**
 * @example
 * int8Codec(ScalarQuantizer.fit(vectors)).bytesPerVector; // D
 */
export function int8Codec(q: ScalarQuantizer): VectorCodec {
  const D = q.dims;
  return {
    name: 'int8',
    dims: D,
    bytesPerVector: D,
    parameterBytes: q.min.byteLength + q.scale.byteLength,
    encode: (v) => q.encode(v),
    table(query) {
      const t = new Float32Array(D * 256);
      for (let d = 0; d < D; d++) {
        for (let c = 0; c < 256; c++) {
          const diff = query[d] - (q.min[d] + c * q.scale[d]);
          t[d * 256 + c] = diff * diff;
        }
      }
      return t;
    },
  };
}

/**
 * @example
 * int4Codec(Int4Quantizer.fit(vectors)).bytesPerVector; // ceil(D / 2)
 */
export function int4Codec(q: Int4Quantizer): VectorCodec {
  const D = q.dims;
  return {
    name: '4-bit',
    dims: D,
    bytesPerVector: q.bytesPerVector,
    parameterBytes: q.min.byteLength + q.scale.byteLength,
    encode: (v) => q.encode(v),
    table(query) {
      // One entry per byte value: its low nibble codes dimension 2j, its high nibble 2j+1.
      const part = (d: number, c: number): number => {
        if (d >= D) return 0;
        const diff = query[d] - (q.min[d] + c * q.scale[d]);
        return diff * diff;
      };
      const t = new Float32Array(q.bytesPerVector * 256);
      for (let j = 0; j < q.bytesPerVector; j++) {
        for (let b = 0; b < 256; b++) t[j * 256 + b] = part(2 * j, b & (INT4_LEVELS - 1)) + part(2 * j + 1, b >> 4);
      }
      return t;
    },
  };
}

/**
 * @example
 * pqCodec(ProductQuantizer.fit(vectors, { m: 8, seed: 1 })).bytesPerVector; // 8
 */
export function pqCodec(pq: ProductQuantizer): VectorCodec {
  return {
    name: `PQ m=${pq.m}`,
    dims: pq.dims,
    bytesPerVector: pq.m,
    parameterBytes: pq.codebookBytes,
    encode: (v) => pq.encode(v),
    table: (query) => pq.distanceTable(query),
  };
}

// The look-up tables above rely on one table row of 256 entries per code byte.
if (PQ_CENTROIDS !== 256) throw new Error('quantized-index: PQ tables need 256 centroids per sub-space');

/**
 * @example
 * const index = new QuantizedIndex(pqCodec(ProductQuantizer.fit(vectors, { m: 8, seed: 1 })));
 * index.add(vectors);
 * index.search(queries, 10).ids;
 * index.remove([3]);          // no retraining: the codebooks stay
 * index.memoryBytes();        // size·(8 + 4) + the codebooks' bytes
 */
export class QuantizedIndex implements VectorIndex {
  private codes = new Uint8Array(0);
  private idList: number[] = [];
  private idSet = new Set<number>();
  private nextId = 0;

  constructor(readonly codec: VectorCodec) {}

  get dims(): number {
    return this.codec.dims;
  }

  get size(): number {
    return this.idList.length;
  }

  /** Exact bytes held: the codes, one int32 id per vector, and the codec's parameters. */
  memoryBytes(): number {
    return this.codes.length + 4 * this.idList.length + this.codec.parameterBytes;
  }

  /** Encodes and stores vectors; ids default to consecutive integers after the largest seen. */
  add(vectors: VectorsLike, ids?: ArrayLike<number>): void {
    const fn = 'QuantizedIndex.add';
    const m = toMatrix(fn, vectors);
    if (m.dims !== this.dims) fail(fn, 'vectors', `have ${this.dims} columns`, m.dims);
    if (ids !== undefined && ids.length !== m.rows)
      fail(fn, 'ids', `have one entry per vector (${m.rows})`, ids.length);
    const newIds: number[] = [];
    const fresh = new Set<number>();
    for (let i = 0; i < m.rows; i++) {
      const id = ids ? ids[i] : this.nextId + i;
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) fail(fn, 'ids', 'be non-negative int32 integers', id);
      if (this.idSet.has(id) || fresh.has(id))
        fail(fn, 'ids', 'be unique and not already in the index', `duplicate ${id}`);
      fresh.add(id);
      newIds.push(id);
    }
    const codes = new Uint8Array(this.codes.length + m.rows * this.codec.bytesPerVector);
    codes.set(this.codes);
    codes.set(this.codec.encode(m), this.codes.length);
    this.codes = codes;
    for (const id of newIds) {
      this.idList.push(id);
      this.idSet.add(id);
      this.nextId = Math.max(this.nextId, id + 1);
    }
  }

  /** Removes the given ids (unknown ids are ignored); returns how many were removed. */
  remove(ids: ArrayLike<number>): number {
    const drop = new Set(Array.from(ids).filter((id) => this.idSet.has(id)));
    if (drop.size === 0) return 0;
    const B = this.codec.bytesPerVector;
    const keep = this.idList.map((id, row) => (drop.has(id) ? -1 : row)).filter((row) => row >= 0);
    const codes = new Uint8Array(keep.length * B);
    keep.forEach((row, i) => codes.set(this.codes.subarray(row * B, (row + 1) * B), i * B));
    this.codes = codes;
    this.idList = keep.map((row) => this.idList[row]);
    for (const id of drop) this.idSet.delete(id);
    return drop.size;
  }

  /** The k stored vectors nearest each query by asymmetric distance (euclidean, not squared). */
  search(queries: VectorsLike, k: number): SearchResult {
    const fn = 'QuantizedIndex.search';
    const q = toMatrix(fn, queries, 'queries');
    if (q.dims !== this.dims) fail(fn, 'queries', `have ${this.dims} columns`, q.dims);
    checkNumber(fn, 'k', k, { min: 1, integer: true });
    const ids = new Int32Array(q.rows * k).fill(-1);
    const distances = new Float32Array(q.rows * k).fill(Infinity);
    const B = this.codec.bytesPerVector;
    const top = new TopK(Math.min(k, this.size));
    for (let i = 0; i < q.rows; i++) {
      const t = this.codec.table(q.data.subarray(i * q.dims, (i + 1) * q.dims));
      top.reset();
      for (let row = 0; row < this.size; row++) {
        let s = 0;
        for (let j = 0, at = row * B; j < B; j++) s += t[j * 256 + this.codes[at + j]];
        top.push(s, row);
      }
      const found = top.sorted();
      for (let r = 0; r < found.indices.length; r++) {
        ids[i * k + r] = this.idList[found.indices[r]];
        distances[i * k + r] = Math.sqrt(Math.max(0, found.scores[r]));
      }
    }
    return { ids, distances, k };
  }
}
