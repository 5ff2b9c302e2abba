/**
 * The file layout the approximate indexes share: one JSON header line (format name, version, the
 * index's settings and the byte length of each section), then the sections' raw bytes,
 * little-endian, back to back. Loading checks the format, the version and every length, and
 * copies each section into its own aligned buffer.
 *
 * @example
 * writeIndexFile('/tmp/a.idx', { format: 'demo', version: 1, dims: 2 }, [Int32Array.of(7), Float32Array.of(1, 2)]);
 * const { header, sections } = readIndexFile('/tmp/a.idx', 'Demo.load', 'demo', 1);
 * int32Section(sections[0]); // Int32Array [7]
 */
import * as fs from 'fs';
import { fail } from '../validate';

export interface IndexHeader {
  format: string;
  version: number;
  [setting: string]: unknown;
}

/** Writes `header` (plus the section lengths) and the sections' bytes to `path`. */
export function writeIndexFile(path: string, header: IndexHeader, sections: ArrayBufferView[]): void {
  const lengths = sections.map((s) => s.byteLength);
  const head = Buffer.from(JSON.stringify({ ...header, sections: lengths }) + '\n');
  const body = sections.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength));
  fs.writeFileSync(path, Buffer.concat([head, ...body]));
}

/** Reads a file written by writeIndexFile, checking its format, version and lengths. */
export function readIndexFile(
  path: string,
  fn: string,
  format: string,
  version: number,
): { header: IndexHeader & Record<string, unknown>; sections: Uint8Array[] } {
  const buf = fs.readFileSync(path);
  const nl = buf.indexOf(10);
  let header: Record<string, unknown> = {};
  try {
    header = JSON.parse(buf.subarray(0, Math.max(0, nl)).toString('utf8')) as Record<string, unknown>;
  } catch {
    // fall through to the format check
  }
  const lengths = header.sections;
  if (
    header.format !== format ||
    header.version !== version ||
    !Array.isArray(lengths) ||
    !lengths.every((n) => Number.isInteger(n) && n >= 0)
  ) {
    fail(fn, 'path', `name a ${format} v${version} file`, path);
  }
  const sizes = lengths as number[];
  const body = buf.subarray(nl + 1);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (body.length !== total) fail(fn, 'path', `hold ${total} data bytes`, body.length);
  let at = 0;
  const sections = sizes.map((n) => {
    // A copy: a Buffer slice may sit at any byte offset, typed arrays need alignment.
    const s = Uint8Array.from(body.subarray(at, at + n));
    at += n;
    return s;
  });
  return { header: header as IndexHeader, sections };
}

/** A section as int32 values. */
export function int32Section(s: Uint8Array): Int32Array {
  return new Int32Array(s.buffer, s.byteOffset, s.byteLength >> 2);
}

/** A section as float32 values. */
export function float32Section(s: Uint8Array): Float32Array {
  return new Float32Array(s.buffer, s.byteOffset, s.byteLength >> 2);
}

/** A header field that must be a non-negative integer (the file is rejected otherwise). */
export function headerInt(header: Record<string, unknown>, key: string, fn: string, path: string): number {
  const v = header[key];
  if (!Number.isInteger(v) || (v as number) < 0) fail(fn, 'path', `have an integer '${key}' in its header`, path);
  return v as number;
}
