/**
 * A minimal reader of TrueType/OpenType font files: just what the glyph-set generator needs to
 * know which characters a font really has (the cmap), its family name, weight and style. It
 * reads the file's own tables, so a character the font lacks is never mistaken for one that a
 * renderer would draw from a fallback font (or as an empty "tofu" box).
 */
import * as fs from 'fs';

/** What the generator needs to know about one font file. */
export interface FontInfo {
  file: string;
  /** Typographic family (name ID 16, else 1), the name an SVG `font-family` selects. */
  family: string;
  /** Subfamily, e.g. 'Bold Italic' (name ID 17, else 2). */
  subfamily: string;
  /** OS/2 usWeightClass (100..900). */
  weight: number;
  /** OS/2 usWidthClass (1..9, 5 = normal). */
  width: number;
  italic: boolean;
  /** Code points the cmap maps to a glyph other than .notdef. */
  codePoints: Set<number>;
}

function tableOffsets(buf: Buffer, file: string): Map<string, number> {
  const tag = buf.toString('latin1', 0, 4);
  if (tag !== '\x00\x01\x00\x00' && tag !== 'OTTO' && tag !== 'true') {
    throw new Error(`Error in readFontInfo: ${file} is not a single TrueType/OpenType font (tag '${tag}')`);
  }
  const count = buf.readUInt16BE(4);
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const rec = 12 + 16 * i;
    out.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  return out;
}

/** Code points of a cmap subtable in format 4 (BMP) or 12 (full Unicode). */
function readCmapSubtable(buf: Buffer, at: number, into: Set<number>): void {
  const format = buf.readUInt16BE(at);
  if (format === 4) {
    const segX2 = buf.readUInt16BE(at + 6);
    const ends = at + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      const end = buf.readUInt16BE(ends + 2 * s);
      const start = buf.readUInt16BE(starts + 2 * s);
      const delta = buf.readInt16BE(deltas + 2 * s);
      const ro = buf.readUInt16BE(rangeOffsets + 2 * s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (ro === 0) glyph = (c + delta) & 0xffff;
        else {
          const g = buf.readUInt16BE(rangeOffsets + 2 * s + ro + 2 * (c - start));
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph !== 0) into.add(c);
      }
    }
  } else if (format === 12) {
    const groups = buf.readUInt32BE(at + 12);
    for (let g = 0; g < groups; g++) {
      const rec = at + 16 + 12 * g;
      const start = buf.readUInt32BE(rec);
      const end = buf.readUInt32BE(rec + 4);
      const first = buf.readUInt32BE(rec + 8);
      for (let c = start; c <= end; c++) if (first + (c - start) !== 0) into.add(c);
    }
  }
}

function readCmap(buf: Buffer, at: number): Set<number> {
  const n = buf.readUInt16BE(at + 2);
  const subtables: { platform: number; encoding: number; offset: number }[] = [];
  for (let i = 0; i < n; i++) {
    const rec = at + 4 + 8 * i;
    subtables.push({
      platform: buf.readUInt16BE(rec),
      encoding: buf.readUInt16BE(rec + 2),
      offset: at + buf.readUInt32BE(rec + 4),
    });
  }
  const out = new Set<number>();
  // Unicode subtables only: (3,1) / (3,10) Windows, (0,*) Unicode platform.
  for (const s of subtables) {
    if (s.platform === 0 || (s.platform === 3 && (s.encoding === 1 || s.encoding === 10))) {
      readCmapSubtable(buf, s.offset, out);
    }
  }
  return out;
}

function readNames(buf: Buffer, at: number): Map<number, string> {
  const count = buf.readUInt16BE(at + 2);
  const strings = at + buf.readUInt16BE(at + 4);
  const out = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const rec = at + 6 + 12 * i;
    const platform = buf.readUInt16BE(rec);
    const language = buf.readUInt16BE(rec + 4);
    const id = buf.readUInt16BE(rec + 6);
    const length = buf.readUInt16BE(rec + 8);
    const offset = strings + buf.readUInt16BE(rec + 10);
    // Windows, US English, UTF-16BE.
    if (platform !== 3 || language !== 0x409 || out.has(id)) continue;
    const bytes = Buffer.from(buf.subarray(offset, offset + length));
    out.set(id, bytes.swap16().toString('utf16le'));
  }
  return out;
}

/**
 * Reads a font file's family, weight, style and the code points its cmap really maps.
 *
 * @example
 * const f = readFontInfo('/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf');
 * f.family; // 'Noto Sans Thai'
 * f.codePoints.has(0x0e01); // true: ก
 */
export function readFontInfo(file: string): FontInfo {
  const buf = fs.readFileSync(file);
  const tables = tableOffsets(buf, file);
  const need = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`Error in readFontInfo: ${file} has no '${tag}' table`);
    return at;
  };
  const names = readNames(buf, need('name'));
  const os2 = need('OS/2');
  const fsSelection = buf.readUInt16BE(os2 + 62);
  return {
    file,
    family: names.get(16) ?? names.get(1) ?? '',
    subfamily: names.get(17) ?? names.get(2) ?? '',
    weight: buf.readUInt16BE(os2 + 4),
    width: buf.readUInt16BE(os2 + 6),
    italic: (fsSelection & 1) !== 0,
    codePoints: readCmap(buf, need('cmap')),
  };
}
