/**
 * int8 scalar quantization with a per-dimension [min, max] range (faiss ScalarQuantizer QT_8bit):
 * each value becomes one byte, a quarter of float32's memory; decode maps bytes back to the
 * centres of their buckets.
 */
import { fail } from '../validate';
import { type Matrix, type VectorsLike, toMatrix } from '../linalg/matrix';

/**
 * @example
 * const sq = ScalarQuantizer.fit(vectors);
 * const codes = sq.encode(vectors);   // Uint8Array, N·D bytes
 * const approx = sq.decode(codes);    // Matrix close to vectors
 */
export class ScalarQuantizer {
  private constructor(
    readonly min: Float32Array,
    readonly scale: Float32Array,
  ) {}

  get dims(): number {
    return this.min.length;
  }

  static fit(vectors: VectorsLike): ScalarQuantizer {
    const m = toMatrix('ScalarQuantizer.fit', vectors);
    const min = new Float32Array(m.dims).fill(Infinity);
    const max = new Float32Array(m.dims).fill(-Infinity);
    for (let i = 0; i < m.rows; i++) {
      for (let d = 0; d < m.dims; d++) {
        const v = m.data[i * m.dims + d];
        if (v < min[d]) min[d] = v;
        if (v > max[d]) max[d] = v;
      }
    }
    const scale = max.map((hi, d) => (hi - min[d]) / 255);
    return new ScalarQuantizer(min, scale);
  }

  encode(vectors: VectorsLike): Uint8Array {
    const m = toMatrix('ScalarQuantizer.encode', vectors);
    if (m.dims !== this.dims) fail('ScalarQuantizer.encode', 'vectors', `have ${this.dims} columns`, m.dims);
    const out = new Uint8Array(m.data.length);
    for (let i = 0; i < m.data.length; i++) {
      const d = i % m.dims;
      const s = this.scale[d];
      const code = s > 0 ? Math.round((m.data[i] - this.min[d]) / s) : 0;
      out[i] = Math.min(255, Math.max(0, code));
    }
    return out;
  }

  decode(codes: Uint8Array): Matrix {
    if (codes.length % this.dims !== 0)
      fail('ScalarQuantizer.decode', 'codes', `have a multiple of ${this.dims} bytes`, codes.length);
    const data = new Float32Array(codes.length);
    for (let i = 0; i < codes.length; i++) {
      const d = i % this.dims;
      data[i] = this.min[d] + codes[i] * this.scale[d];
    }
    return { data, rows: codes.length / this.dims, dims: this.dims };
  }
}
