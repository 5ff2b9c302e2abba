/**
 * How the glyph set is made, step by step, as pure functions of the font files and one seed, so
 * that scripts/make-glyphs.ts can build the whole set and a test can re-render part of it and
 * compare bytes. Each class is one character of one script; its instances are that character
 * in different fonts of the script (checked in the font's own cmap, and checked to draw ink),
 * each through a seeded small affine + elastic distortion and, when fonts run out, a seeded
 * weight change, so no two instances are pixel copies.
 */
import { Random } from '../../random';
import { drawInstance, ELASTIC_GRID, plainDistortion, renderSheet, type Distortion, type GlyphCell } from './render';
import type { FontInfo } from './sfnt';

/** The seed of every random choice of the generator. */
export const GLYPHS_SEED = 20261204;
/** Instances drawn per class. */
export const INSTANCES_PER_CLASS = 20;
/** At most this many characters per script (a seeded sample when the script has more). */
export const CLASSES_PER_SCRIPT = 30;
/** Fonts rendered per script at most (the primary font, then a seeded sample of the others). */
export const FONTS_PER_SCRIPT = 20;
/** Fraction of each script's characters put in the within-script 'test' half. */
export const WITHIN_TEST_FRACTION = 0.25;
/** Fraction of scripts in the background set (Omniglot: 30 of 50). */
export const BACKGROUND_FRACTION = 0.6;
/** Median glyph extent (output px) each font is scaled to, and the most any glyph may span. */
const TARGET_EXTENT = 17;
const MAX_EXTENT = 25;

/** One script of the set and the font families (file-name stems) that draw it. */
export interface ScriptSpec {
  /** Unicode Script property value, e.g. 'Devanagari', as in /\p{Script=Devanagari}/u. */
  name: string;
  /** File-name stems: a font file belongs to the script when its name is `<stem>-<style>.ttf`. */
  families: string[];
}

const LGC = [
  'NotoSans',
  'NotoSerif',
  'NotoSansDisplay',
  'NotoSerifDisplay',
  'NotoSansMono',
  'DejaVuSans',
  'DejaVuSerif',
];
const DEJAVU = ['DejaVuSans', 'DejaVuSerif'];

/** The scripts of the set; the first family's Regular file is the script's primary font. */
export const GLYPH_SCRIPTS: readonly ScriptSpec[] = [
  { name: 'Latin', families: [...LGC, 'DejaVuSansMono'] },
  { name: 'Greek', families: [...LGC, 'DejaVuSansMono'] },
  { name: 'Cyrillic', families: [...LGC, 'DejaVuSansMono'] },
  { name: 'Armenian', families: ['NotoSansArmenian', 'NotoSerifArmenian', ...DEJAVU] },
  { name: 'Georgian', families: ['NotoSansGeorgian', 'NotoSerifGeorgian', ...DEJAVU] },
  { name: 'Hebrew', families: ['NotoSansHebrew', 'NotoSerifHebrew', 'NotoRashiHebrew', ...DEJAVU] },
  { name: 'Arabic', families: ['NotoSansArabic', 'NotoKufiArabic', 'NotoNaskhArabic', 'DejaVuSans'] },
  { name: 'Syriac', families: ['NotoSansSyriac'] },
  { name: 'Thaana', families: ['NotoSansThaana'] },
  { name: 'Devanagari', families: ['NotoSansDevanagari', 'NotoSerifDevanagari'] },
  { name: 'Bengali', families: ['NotoSansBengali', 'NotoSerifBengali'] },
  { name: 'Gurmukhi', families: ['NotoSansGurmukhi', 'NotoSerifGurmukhi'] },
  { name: 'Gujarati', families: ['NotoSansGujarati', 'NotoSerifGujarati'] },
  { name: 'Oriya', families: ['NotoSansOriya'] },
  { name: 'Tamil', families: ['NotoSansTamil', 'NotoSerifTamil', 'NotoSerifTamilSlanted'] },
  { name: 'Telugu', families: ['NotoSansTelugu', 'NotoSerifTelugu'] },
  { name: 'Kannada', families: ['NotoSansKannada', 'NotoSerifKannada'] },
  { name: 'Malayalam', families: ['NotoSansMalayalam', 'NotoSerifMalayalam'] },
  { name: 'Sinhala', families: ['NotoSansSinhala', 'NotoSerifSinhala'] },
  { name: 'Thai', families: ['NotoSansThai', 'NotoSerifThai', 'NotoLoopedThai'] },
  { name: 'Lao', families: ['NotoSansLao', 'NotoSerifLao', 'NotoLoopedLao', 'DejaVuSans'] },
  { name: 'Khmer', families: ['NotoSansKhmer', 'NotoSerifKhmer'] },
  { name: 'Myanmar', families: ['NotoSansMyanmar', 'NotoSerifMyanmar'] },
  { name: 'Tibetan', families: ['NotoSerifTibetan'] },
  { name: 'Ethiopic', families: ['NotoSansEthiopic', 'NotoSerifEthiopic'] },
  { name: 'Cherokee', families: ['NotoSansCherokee'] },
  { name: 'Canadian_Aboriginal', families: ['NotoSansCanadianAboriginal', 'DejaVuSans'] },
  { name: 'Cham', families: ['NotoSansCham'] },
  { name: 'Meetei_Mayek', families: ['NotoSansMeeteiMayek'] },
  {
    name: 'Tifinagh',
    families: [
      'NotoSansTifinagh',
      ...['APT', 'Adrar', 'AgrawImazighen', 'Ahaggar', 'Air', 'Azawagh', 'Ghat', 'Hawad', 'RhissaIxa', 'SIL'].map(
        (s) => `NotoSansTifinagh${s}`,
      ),
      'NotoSansTifinaghTawellemmet',
      'DejaVuSans',
    ],
  },
  { name: 'Balinese', families: ['NotoSansBalinese', 'NotoSerifBalinese'] },
  { name: 'Sundanese', families: ['NotoSansSundanese'] },
  { name: 'Tai_Tham', families: ['NotoSansTaiTham'] },
  { name: 'Javanese', families: ['NotoSansJavanese'] },
  { name: 'Adlam', families: ['NotoSansAdlam', 'NotoSansAdlamUnjoined'] },
  { name: 'Bamum', families: ['NotoSansBamum'] },
  { name: 'Lisu', families: ['NotoSansLisu'] },
  { name: 'Ol_Chiki', families: ['NotoSansOlChiki'] },
  { name: 'Nushu', families: ['NotoSansNushu', 'NotoTraditionalNushu'] },
  { name: 'Yi', families: ['NotoSansYi'] },
  { name: 'Vai', families: ['NotoSansVai'] },
  { name: 'Runic', families: ['NotoSansRunic'] },
  { name: 'Glagolitic', families: ['NotoSansGlagolitic'] },
  { name: 'Coptic', families: ['NotoSansCoptic', 'DejaVuSans'] },
];

/** The file stem of a font file: 'NotoSansThai' for '.../NotoSansThai-Bold.ttf'. */
export function fontFamilyStem(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.ttf$/, '');
  const dash = base.indexOf('-');
  return dash < 0 ? base : base.slice(0, dash);
}

/** True for a character that is a letter of `script` and no composition of other characters. */
export function isScriptLetter(codePoint: number, script: string): boolean {
  const ch = String.fromCodePoint(codePoint);
  // Lu/Ll/Lt/Lo: modifier letters (Lm) are tiny superscripts; NFKD-stable: no accented copies.
  return (
    /^[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]$/u.test(ch) &&
    new RegExp(`^\\p{Script=${script}}$`, 'u').test(ch) &&
    ch.normalize('NFKD') === ch
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function extent(cell: GlyphCell): number {
  const b = cell.box!;
  return Math.max(b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
}

/** Mean absolute difference of two uint8 images, 0..1. */
function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / (255 * a.length);
}

/** Per-font scale (output px per cell px): the median extent of its drawable glyphs → TARGET_EXTENT. */
export function fontScale(cells: readonly GlyphCell[]): number {
  const extents = cells.filter((c) => c.box).map(extent);
  return extents.length ? TARGET_EXTENT / median(extents) : 0;
}

/**
 * Picks a script's classes: letters of the script in the primary font's cmap, a seeded sample
 * of them, kept only when the primary font draws ink and the glyph is not (nearly) identical to
 * one already kept; at most CLASSES_PER_SCRIPT, in code point order.
 *
 * @example
 * import { readFontInfo } from './sfnt';
 * const spec = GLYPH_SCRIPTS.find((s) => s.name === 'Devanagari')!;
 * const primaryFont = readFontInfo('/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf'); // fonts-noto-core
 * const classes = await chooseCharacters(spec, primaryFont); // e.g. [0x0915, 0x0916, ...]
 */
export async function chooseCharacters(spec: ScriptSpec, primary: FontInfo): Promise<number[]> {
  const letters = [...primary.codePoints].filter((cp) => isScriptLetter(cp, spec.name)).sort((a, b) => a - b);
  const order = new Random(GLYPHS_SEED).fork(`classes:${spec.name}`).shuffle(letters);
  // Three times the quota leaves room for empty and duplicate glyphs without drawing all of Yi.
  const cells = await renderSheet(primary, order.slice(0, 3 * CLASSES_PER_SCRIPT));
  const scale = fontScale(cells);
  const kept: { cp: number; image: Uint8Array }[] = [];
  for (const cell of cells) {
    if (kept.length === CLASSES_PER_SCRIPT) break;
    if (!cell.box) continue;
    const image = drawInstance(cell, plainDistortion(Math.min(scale, MAX_EXTENT / extent(cell))));
    if (kept.some((k) => meanAbsDiff(k.image, image) < 0.01)) continue;
    kept.push({ cp: cell.codePoint, image });
  }
  return kept.map((k) => k.cp).sort((a, b) => a - b);
}

/** The fonts a script is rendered in: the primary, then a seeded sample of the others. */
export function chooseFonts(spec: ScriptSpec, candidates: readonly FontInfo[]): FontInfo[] {
  const [primary, ...others] = candidates;
  const rest = new Random(GLYPHS_SEED).fork(`fonts:${spec.name}`).shuffle([...others]);
  return [primary, ...rest.slice(0, FONTS_PER_SCRIPT - 1)].sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** The random parts of one instance, drawn from its own stream. */
function randomDistortion(rng: Random, scale: number, cell: GlyphCell, weight: number): Distortion {
  const elastic = new Float32Array(2 * ELASTIC_GRID * ELASTIC_GRID);
  for (let i = 0; i < elastic.length; i++) elastic[i] = rng.normal(0, 0.5);
  const jitter = rng.range(0.9, 1.1);
  return {
    scale: Math.min(scale * jitter, MAX_EXTENT / extent(cell)),
    scaleX: rng.range(0.92, 1.08),
    scaleY: rng.range(0.92, 1.08),
    rotation: (rng.range(-8, 8) * Math.PI) / 180,
    shear: rng.range(-0.12, 0.12),
    dx: rng.range(-1, 1),
    dy: rng.range(-1, 1),
    elastic,
    weight,
  };
}

/** One drawn instance and the font (index into the script's fonts) it came from. */
export interface DrawnInstance {
  font: number;
  pixels: Uint8Array;
}

/**
 * Draws every instance of one script's classes: renders each class in every font whose cmap has
 * it and that draws it with ink, then cycles through those fonts in a seeded order; on the second
 * and later passes each instance also gets a seeded weight change.
 *
 * @example
 * import { readFontInfo } from './sfnt';
 * const fonts = ['NotoSansThai-Regular.ttf', 'NotoSerifThai-Regular.ttf'].map((f) => readFontInfo(`/usr/share/fonts/truetype/noto/${f}`));
 * const byClass = await drawScript('Thai', fonts, [0x0e01, 0x0e02]); // 2 classes × INSTANCES_PER_CLASS images
 */
export async function drawScript(
  script: string,
  fonts: readonly FontInfo[],
  codePoints: readonly number[],
): Promise<DrawnInstance[][]> {
  const sheets: (GlyphCell | null)[][] = [];
  const scales: number[] = [];
  for (const font of fonts) {
    const covered = codePoints.filter((cp) => font.codePoints.has(cp));
    const cells = covered.length ? await renderSheet(font, covered) : [];
    scales.push(fontScale(cells));
    const byCp = new Map(cells.map((c) => [c.codePoint, c]));
    sheets.push(codePoints.map((cp) => byCp.get(cp) ?? null));
  }
  return codePoints.map((cp, c) => {
    const usable = fonts.map((_, f) => f).filter((f) => sheets[f][c]?.box);
    if (usable.length === 0) {
      throw new Error(`Error in drawScript: no font of ${script} draws U+${cp.toString(16).toUpperCase()}`);
    }
    const rng = new Random(GLYPHS_SEED).fork(`instances:${script}:${cp}`);
    const order = rng.shuffle(usable);
    const out: DrawnInstance[] = [];
    for (let k = 0; k < INSTANCES_PER_CLASS; k++) {
      const f = order[k % order.length];
      const cell = sheets[f][c]!;
      // Light fonts are never eroded: their strokes are thin enough to vanish.
      const weights = fonts[f].weight >= 400 ? [-1, 1, 2, 3] : [1, 2, 3];
      const weight = k < order.length ? 0 : rng.choice(weights);
      out.push({ font: f, pixels: drawInstance(cell, randomDistortion(rng, scales[f], cell, weight)) });
    }
    return out;
  });
}
