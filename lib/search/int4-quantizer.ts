/**
 * 4-bit scalar quantization with a per-dimension [min, max] range (faiss ScalarQuantizer
 * QT_4bit): each value becomes one of 16 levels and two values share a byte, an eighth of
 * float32's memory. Decode maps codes back to their levels.
 */
import { fail } from '../validate';
import { type Matrix, type VectorsLike, toMatrix } from '../linalg/matrix';

/** Levels of a 4-bit code. */
export const INT4_LEVELS = 16;

/**
 * @example
 * const q = Int4Quantizer.fit(vectors);  // vectors: [N, 64]
 * const codes = q.encode(vectors);       // Uint8Array, N·32 bytes (two codes per byte)
 * q.bytesPerVector;                      // 32
 * const approx = q.decode(codes);        // Matrix close to vectors
 */
export class Int4Quantizer {
  private constructor(
    readonly min: Float32Array,
    /** Width of one level per dimension: (max - min) / 15. */
    readonly scale: Float32Array,
  ) {}

  get dims(): number {
    return this.min.length;
  }

  /** Bytes of one encoded vector: ceil(dims / 2). */
  get bytesPerVector(): number {
    return Math.ceil(this.dims / 2);
  }

  static fit(vectors: VectorsLike): Int4Quantizer {
    const m = toMatrix('Int4Quantizer.fit', vectors);
    const min = new Float32Array(m.dims).fill(Infinity);
    const max = new Float32Array(m.dims).fill(-Infinity);
    for (let i = 0; i < m.data.length; i++) {
      const d = i % m.dims;
      min[d] = Math.min(min[d], m.data[i]);
      max[d] = Math.max(max[d], m.data[i]);
    }
    return new Int4Quantizer(
      min,
      max.map((hi, d) => (hi - min[d]) / (INT4_LEVELS - 1)),
    );
  }

  /** The 4-bit code (0-15) of value `v` in dimension `d`. */
  code(v: number, d: number): number {
    const s = this.scale[d];
    const c = s > 0 ? Math.round((v - this.min[d]) / s) : 0;
    return Math.min(INT4_LEVELS - 1, Math.max(0, c));
  }

  /** Packs row after row; dimension 2j in the low nibble of byte j, 2j+1 in the high nibble. */
  encode(vectors: VectorsLike): Uint8Array {
    const fn = 'Int4Quantizer.encode';
    const m = toMatrix(fn, vectors);
    if (m.dims !== this.dims) fail(fn, 'vectors', `have ${this.dims} columns`, m.dims);
    const B = this.bytesPerVector;
    const out = new Uint8Array(m.rows * B);
    for (let i = 0; i < m.rows; i++) {
      for (let d = 0; d < m.dims; d++) {
        out[i * B + (d >> 1)] |= this.code(m.data[i * m.dims + d], d) << ((d & 1) * 4);
      }
    }
    return out;
  }

  decode(codes: Uint8Array): Matrix {
    const B = this.bytesPerVector;
    if (codes.length % B !== 0) fail('Int4Quantizer.decode', 'codes', `have a multiple of ${B} bytes`, codes.length);
    const rows = codes.length / B;
    const data = new Float32Array(rows * this.dims);
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < this.dims; d++) {
        const c = (codes[i * B + (d >> 1)] >> ((d & 1) * 4)) & 15;
        data[i * this.dims + d] = this.min[d] + c * this.scale[d];
      }
    }
    return { data, rows, dims: this.dims };
  }
}
