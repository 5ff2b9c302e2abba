/**
 * A minimal PNG encoder for small grayscale or RGB images (dataset thumbnails), so image grids
 * can embed pictures as data URLs without a canvas package. Uses Node's zlib for DEFLATE.
 */
import * as zlib from 'zlib';
import { fail } from '../validate';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A grayscale image: `pixels` in [0,1], row-major, `width * height` values. */
export interface GrayImage {
  pixels: ArrayLike<number>;
  width: number;
  height: number;
}

/** Anything the image helpers accept: a GrayImage, rows of pixels, or a flat square image. */
export type ImageLike = GrayImage | ReadonlyArray<ArrayLike<number>> | ArrayLike<number>;

/**
 * Normalises an image argument to a GrayImage: flat arrays must be square (28x28 = 784 values).
 *
 * @example
 * toGrayImage('show', 'image', new Float32Array(784)); // { width: 28, height: 28, pixels }; errors name show's image
 */
export function toGrayImage(fn: string, arg: string, image: ImageLike): GrayImage {
  if (image && typeof image === 'object' && 'pixels' in image) {
    if (image.pixels.length !== image.width * image.height) {
      fail(fn, arg, `have width * height (${image.width * image.height}) pixels`, image.pixels.length);
    }
    return image;
  }
  if (!image || typeof (image as ArrayLike<unknown>).length !== 'number') {
    fail(fn, arg, 'be an image (flat square array, rows of pixels, or { pixels, width, height })', typeof image);
  }
  const first = (image as ArrayLike<unknown>)[0];
  if (first !== null && typeof first === 'object') {
    const rows = image as ReadonlyArray<ArrayLike<number>>;
    const width = rows[0].length;
    const pixels = new Float32Array(rows.length * width);
    rows.forEach((row, y) => {
      if (row.length !== width) fail(fn, arg, `have rows of equal length (${width})`, `${row.length} in row ${y}`);
      for (let x = 0; x < width; x++) pixels[y * width + x] = row[x];
    });
    return { pixels, width, height: rows.length };
  }
  const flat = image as ArrayLike<number>;
  const side = Math.round(Math.sqrt(flat.length));
  if (side * side !== flat.length || side === 0) {
    fail(fn, arg, 'be a square image when given as a flat array (e.g. 784 = 28x28 values)', `${flat.length} values`);
  }
  return { pixels: flat, width: side, height: side };
}

/**
 * Encodes a grayscale image as PNG bytes. Values are clipped to [0,1]; `scale` repeats each
 * pixel (nearest neighbour) so small thumbnails stay crisp when a viewer enlarges them.
 *
 * @example
 * const png = encodeGrayPng({ pixels: new Float32Array(784).fill(0.5), width: 28, height: 28 }, 2);
 */
export function encodeGrayPng(image: GrayImage, scale = 1): Uint8Array {
  const w = image.width * scale;
  const h = image.height * scale;
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w + 1);
    raw[row] = 0; // filter type: none
    const sy = Math.floor(y / scale);
    for (let x = 0; x < w; x++) {
      const v = image.pixels[sy * image.width + Math.floor(x / scale)];
      raw[row + 1 + x] = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A PNG data URL for an image, for vega-lite image marks and HTML.
 *
 * @example
 * const url = imageDataUrl(new Float32Array(784)); // 'data:image/png;base64,iVBOR...'
 */
export function imageDataUrl(image: ImageLike, scale = 2, fn = 'imageDataUrl', arg = 'image'): string {
  const png = encodeGrayPng(toGrayImage(fn, arg, image), scale);
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
