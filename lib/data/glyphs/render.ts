/**
 * Rendering for the glyph set: resvg draws every character of a script in one font as a sheet
 * of large cells; each 28×28 instance is then resampled from its cell through a seeded small
 * affine map and an elastic displacement field, with a seeded weight change (dilation or
 * erosion of the ink). Everything after resvg is plain integer/float JavaScript, so the same
 * font file and recipe give the same bytes on every machine.
 */
import type { FontInfo } from './sfnt';

/** Cell side and font size (px) of the high-resolution sheets. */
export const CELL = 128;
export const FONT_SIZE = 52;
const BASELINE = 82;
const SHEET_COLUMNS = 8;
/** Output side (px). */
export const SIDE = 28;
const SUPERSAMPLE = 4;
/** Control points per side of the elastic displacement grid. */
export const ELASTIC_GRID = 5;

/** Ink bounding box in cell pixels, inclusive. */
export interface InkBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One character drawn in one font: ink coverage 0..1 over CELL×CELL, and where the ink is. */
export interface GlyphCell {
  codePoint: number;
  ink: Float32Array;
  /** null when the font drew nothing (an empty glyph) or ink touches the cell border (overflow). */
  box: InkBox | null;
}

const STRETCH = [
  'ultra-condensed',
  'extra-condensed',
  'condensed',
  'semi-condensed',
  'normal',
  'semi-expanded',
  'expanded',
  'extra-expanded',
  'ultra-expanded',
];

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The SVG of a sheet: one `<text>` per character, each centred in its own cell. */
export function sheetSvg(font: FontInfo, codePoints: readonly number[]): string {
  const rows = Math.max(1, Math.ceil(codePoints.length / SHEET_COLUMNS));
  const texts = codePoints.map((cp, i) => {
    const x = (i % SHEET_COLUMNS) * CELL + CELL / 2;
    const y = Math.floor(i / SHEET_COLUMNS) * CELL + BASELINE;
    return `<text x="${x}" y="${y}">&#x${cp.toString(16)};</text>`;
  });
  const style =
    `font-family="${escapeXml(font.family)}" font-size="${FONT_SIZE}" font-weight="${font.weight}" ` +
    `font-style="${font.italic ? 'italic' : 'normal'}" font-stretch="${STRETCH[font.width - 1] ?? 'normal'}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHEET_COLUMNS * CELL}" height="${rows * CELL}">` +
    `<g ${style} text-anchor="middle" fill="#000">${texts.join('')}</g></svg>`
  );
}

function inkBox(ink: Float32Array): InkBox | null {
  let x0 = CELL;
  let y0 = CELL;
  let x1 = -1;
  let y1 = -1;
  let total = 0;
  for (let y = 0; y < CELL; y++) {
    for (let x = 0; x < CELL; x++) {
      const v = ink[y * CELL + x];
      if (v <= 0) continue;
      total += v;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  // Less ink than a 4×4 px dot is an empty glyph; ink on the border may have been cut off.
  if (total < 16 || x0 === 0 || y0 === 0 || x1 === CELL - 1 || y1 === CELL - 1) return null;
  return { x0, y0, x1, y1 };
}

/**
 * Renders `codePoints` in exactly one font file (no system fonts, so nothing can fall back to
 * another font) and cuts the sheet into cells.
 *
 * @example
 * import { readFontInfo } from './sfnt';
 * const cells = await renderSheet(readFontInfo('/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf'), [0x0e01, 0x0e02]);
 * cells[0].box; // the ink bounding box of ก, or null when the font drew nothing
 */
export async function renderSheet(font: FontInfo, codePoints: readonly number[]): Promise<GlyphCell[]> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(sheetSvg(font, codePoints), {
    font: { loadSystemFonts: false, fontFiles: [font.file], defaultFontFamily: font.family },
    shapeRendering: 2,
    textRendering: 2,
    logLevel: 'off',
  });
  const image = resvg.render();
  const rgba = image.pixels;
  const width = image.width;
  return codePoints.map((codePoint, i) => {
    const ox = (i % SHEET_COLUMNS) * CELL;
    const oy = Math.floor(i / SHEET_COLUMNS) * CELL;
    const ink = new Float32Array(CELL * CELL);
    for (let y = 0; y < CELL; y++) {
      for (let x = 0; x < CELL; x++) ink[y * CELL + x] = rgba[4 * ((oy + y) * width + ox + x) + 3] / 255;
    }
    return { codePoint, ink, box: inkBox(ink) };
  });
}

/** How one instance is drawn from its cell. */
export interface Distortion {
  /** Output pixels per cell pixel (before `scaleX`/`scaleY`). */
  scale: number;
  scaleX: number;
  scaleY: number;
  /** Radians. */
  rotation: number;
  /** Horizontal shear (x += shear · y). */
  shear: number;
  /** Offset of the ink centre from the image centre, output pixels. */
  dx: number;
  dy: number;
  /** Displacements (output px) at ELASTIC_GRID² control points, x then y per point. */
  elastic: Float32Array;
  /** Ink weight change in cell pixels: > 0 dilates (bolder), < 0 erodes (lighter). */
  weight: number;
}

/** The identity distortion at a given scale (used to compare characters undistorted). */
export function plainDistortion(scale: number): Distortion {
  return {
    scale,
    scaleX: 1,
    scaleY: 1,
    rotation: 0,
    shear: 0,
    dx: 0,
    dy: 0,
    elastic: new Float32Array(2 * ELASTIC_GRID * ELASTIC_GRID),
    weight: 0,
  };
}

/** One 3×3 max (dilate) or min (erode) pass over the rows and columns in `box` (grown by 1). */
function morph(ink: Float32Array, dilate: boolean, box: InkBox): { ink: Float32Array; box: InkBox } {
  const out = new Float32Array(ink);
  const grown = {
    x0: Math.max(1, box.x0 - 1),
    y0: Math.max(1, box.y0 - 1),
    x1: Math.min(CELL - 2, box.x1 + 1),
    y1: Math.min(CELL - 2, box.y1 + 1),
  };
  for (let y = grown.y0; y <= grown.y1; y++) {
    for (let x = grown.x0; x <= grown.x1; x++) {
      let v = ink[y * CELL + x];
      for (let j = y - 1; j <= y + 1; j++) {
        for (let i = x - 1; i <= x + 1; i++) {
          const w = ink[j * CELL + i];
          v = dilate ? (w > v ? w : v) : w < v ? w : v;
        }
      }
      out[y * CELL + x] = v;
    }
  }
  return { ink: out, box: dilate ? grown : box };
}

/**
 * Draws one 28×28 uint8 instance (ink 255 on 0, like MNIST) from a cell: weight change, then
 * the affine map centred on the ink box, then the elastic field; 4×4 supersampling per pixel.
 *
 * @example
 * import { readFontInfo } from './sfnt';
 * const cells = await renderSheet(readFontInfo('/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf'), [0x0e01]);
 * const pixels = drawInstance(cells[0], plainDistortion(0.25)); // Uint8Array(784)
 */
export function drawInstance(cell: GlyphCell, d: Distortion): Uint8Array {
  if (!cell.box) throw new Error(`Error in drawInstance: cell U+${cell.codePoint.toString(16)} has no ink box`);
  let ink = cell.ink;
  let box = cell.box;
  for (let k = 0; k < Math.abs(d.weight); k++) ({ ink, box } = morph(ink, d.weight > 0, box));
  const cx = (cell.box.x0 + cell.box.x1 + 1) / 2;
  const cy = (cell.box.y0 + cell.box.y1 + 1) / 2;
  // Forward map (cell offset → output offset): scale · R(rotation) · Shear · diag(scaleX, scaleY).
  const cos = Math.cos(d.rotation);
  const sin = Math.sin(d.rotation);
  const a = d.scale * cos * d.scaleX;
  const b = d.scale * (cos * d.shear - sin) * d.scaleY;
  const c = d.scale * sin * d.scaleX;
  const e = d.scale * (sin * d.shear + cos) * d.scaleY;
  const det = a * e - b * c;
  const out = new Uint8Array(SIDE * SIDE);
  const half = SIDE / 2;
  const step = SIDE / (ELASTIC_GRID - 1);
  const g = d.elastic;
  for (let py = 0; py < SIDE; py++) {
    for (let px = 0; px < SIDE; px++) {
      let sum = 0;
      for (let j = 0; j < SUPERSAMPLE; j++) {
        for (let i = 0; i < SUPERSAMPLE; i++) {
          const u = px + (i + 0.5) / SUPERSAMPLE;
          const v = py + (j + 0.5) / SUPERSAMPLE;
          // Elastic displacement: bilinear in the control grid (u, v lie inside [0, SIDE]).
          const gx = Math.min(ELASTIC_GRID - 1.000001, u / step);
          const gy = Math.min(ELASTIC_GRID - 1.000001, v / step);
          const gi = Math.floor(gx);
          const gj = Math.floor(gy);
          const fx = gx - gi;
          const fy = gy - gj;
          const p00 = 2 * (gj * ELASTIC_GRID + gi);
          const p10 = p00 + 2;
          const p01 = p00 + 2 * ELASTIC_GRID;
          const p11 = p01 + 2;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          const du = g[p00] * w00 + g[p10] * w10 + g[p01] * w01 + g[p11] * w11;
          const dv = g[p00 + 1] * w00 + g[p10 + 1] * w10 + g[p01 + 1] * w01 + g[p11 + 1] * w11;
          const qx = u + du - half - d.dx;
          const qy = v + dv - half - d.dy;
          // Inverse of [[a, b], [c, e]], back to cell pixel centres, then a bilinear sample;
          // outside the (grown) ink box everything is 0, and the box never touches the border.
          const sx = (e * qx - b * qy) / det + cx - 0.5;
          const sy = (-c * qx + a * qy) / det + cy - 0.5;
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          if (x0 < box.x0 - 1 || y0 < box.y0 - 1 || x0 > box.x1 || y0 > box.y1) continue;
          const tx = sx - x0;
          const ty = sy - y0;
          const at = y0 * CELL + x0;
          const top = ink[at] * (1 - tx) + ink[at + 1] * tx;
          const bottom = ink[at + CELL] * (1 - tx) + ink[at + CELL + 1] * tx;
          sum += top * (1 - ty) + bottom * ty;
        }
      }
      out[py * SIDE + px] = Math.min(255, Math.round((255 * sum) / (SUPERSAMPLE * SUPERSAMPLE)));
    }
  }
  return out;
}
