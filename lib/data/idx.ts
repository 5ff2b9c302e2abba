/**
 * The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte
 * magic number (0, 0, dtype code, number of dimensions), one big-endian int32 per dimension,
 * then the values in big-endian row-major order. Files may be gzip-compressed; compression is
 * detected from the gzip magic bytes (1f 8b), not from the file name.
 *
 * Reading is all-or-nothing: the header, the dtype, every dimension and the exact byte length
 * are checked before any value is returned, so a truncated download never yields half a dataset.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** IDX element types, by their dtype code in the magic number. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const DTYPE_BY_CODE: Record<number, IdxDtype> = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const CODE_BY_DTYPE: Record<IdxDtype, number> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

const BYTES: Record<IdxDtype, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

/** The typed array each IDX dtype decodes to. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX array. */
export interface IdxArray {
  dtype: IdxDtype;
  /** Dimensions, e.g. [10000, 28, 28] for images or [10000] for labels. */
  shape: number[];
  data: IdxData;
}

/** A file that is not valid IDX; `file` names it. */
export class IdxFormatError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`Error in readIdx: ${file}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

/** True when the buffer starts with the gzip magic bytes 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes IDX bytes (raw or gzip). `file` is only used in error messages.
 *
 * @example
 * const { shape, data } = parseIdx(fs.readFileSync('t10k-labels-idx1-ubyte.gz'), 't10k-labels');
 * // shape [10000], data a Uint8Array of labels
 */
export function parseIdx(bytes: Uint8Array, file = '<buffer>'): IdxArray {
  let raw: Uint8Array = bytes;
  if (isGzip(bytes)) {
    try {
      raw = zlib.gunzipSync(bytes);
    } catch (e) {
      throw new IdxFormatError(file, `gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  if (raw.length < 4) throw new IdxFormatError(file, `file is ${raw.length} bytes, too short for an IDX header`);
  if (raw[0] !== 0 || raw[1] !== 0) {
    const magic = Array.from(raw.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxFormatError(file, `wrong magic number (${magic}); an IDX file starts with 00 00 <dtype> <ndim>`);
  }
  const dtype = DTYPE_BY_CODE[raw[2]];
  if (!dtype) throw new IdxFormatError(file, `unknown dtype code 0x${raw[2].toString(16).padStart(2, '0')}`);
  const ndim = raw[3];
  if (ndim === 0) throw new IdxFormatError(file, 'number of dimensions is 0');
  const headerBytes = 4 + 4 * ndim;
  if (raw.length < headerBytes) {
    throw new IdxFormatError(
      file,
      `truncated header: ${ndim} dimensions need ${headerBytes} bytes, file has ${raw.length}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getInt32(4 + 4 * d, false);
    if (size < 0) throw new IdxFormatError(file, `dimension ${d} is negative (${size})`);
    shape.push(size);
    count *= size;
  }
  const expected = headerBytes + count * BYTES[dtype];
  if (raw.length !== expected) {
    const what = raw.length < expected ? 'truncated' : 'has trailing bytes';
    throw new IdxFormatError(
      file,
      `${what}: shape [${shape.join(',')}] of ${dtype} needs ${expected} bytes, but the data has ${raw.length}`,
    );
  }
  return { dtype, shape, data: decode(view, headerBytes, dtype, count) };
}

function decode(view: DataView, offset: number, dtype: IdxDtype, count: number): IdxData {
  switch (dtype) {
    case 'uint8':
      // Copy so the result does not pin the (possibly much larger) decompressed buffer.
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * Reads an IDX file (raw or gzip) and checks it completely before returning.
 *
 * @example
 * const images = readIdx('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
 * images.shape; // [10000, 28, 28]
 */
export function readIdx(file: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new IdxFormatError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseIdx(bytes, file);
}

/**
 * Encodes an array as IDX bytes (big-endian), gzip-compressed when `gzip` is true.
 *
 * @example
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.of(1, 2, 3) });
 * parseIdx(bytes).shape; // [3]
 */
export function encodeIdx(array: IdxArray, { gzip = false }: { gzip?: boolean } = {}): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new Error(
      `Error in encodeIdx: data must have ${count} values for shape [${array.shape.join(',')}], but got ${array.data.length}`,
    );
  }
  if (array.shape.length === 0 || array.shape.length > 255) {
    throw new Error(`Error in encodeIdx: shape must have 1 to 255 dimensions, but got ${array.shape.length}`);
  }
  const header = 4 + 4 * array.shape.length;
  const out = new Uint8Array(header + count * BYTES[array.dtype]);
  const view = new DataView(out.buffer);
  out[2] = CODE_BY_DTYPE[array.dtype];
  out[3] = array.shape.length;
  array.shape.forEach((s, d) => view.setInt32(4 + 4 * d, s, false));
  const setters: Record<IdxDtype, (o: number, v: number) => void> = {
    uint8: (o, v) => view.setUint8(o, v),
    int8: (o, v) => view.setInt8(o, v),
    int16: (o, v) => view.setInt16(o, v, false),
    int32: (o, v) => view.setInt32(o, v, false),
    float32: (o, v) => view.setFloat32(o, v, false),
    float64: (o, v) => view.setFloat64(o, v, false),
  };
  const set = setters[array.dtype];
  const size = BYTES[array.dtype];
  for (let i = 0; i < count; i++) set(header + size * i, array.data[i]);
  // mtime 0 in the gzip header is not settable through zlib, but zlib writes 0 anyway, so the
  // output is byte-for-byte reproducible (the sha256 in data/PROVENANCE.md relies on it).
  return gzip ? zlib.gzipSync(out, { level: 9 }) : out;
}

/**
 * Writes an IDX file; gzip-compressed when the name ends in .gz. Creates the directory.
 *
 * @example
 * writeIdx('/tmp/labels-idx1-ubyte.gz', { dtype: 'uint8', shape: [2], data: Uint8Array.of(3, 7) });
 */
export function writeIdx(file: string, array: IdxArray): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, encodeIdx(array, { gzip: file.endsWith('.gz') }));
}
