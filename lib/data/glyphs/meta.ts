/**
 * The glyph set's metadata file (data/glyphs/glyphs-meta.json): every font used, every script
 * and which set it belongs to, and what each class label is (script, code point, within-script
 * half). The loader splits by script with it; the generator test re-renders from it.
 */
import * as fs from 'fs';

/** File names of the glyph set inside its directory. */
export const GLYPH_FILES = {
  images: 'glyphs-images-idx3-ubyte.gz',
  labels: 'glyphs-labels-idx1-ubyte.gz',
  fonts: 'glyphs-fonts-idx1-ubyte.gz',
  meta: 'glyphs-meta.json',
} as const;

/** A font file the set was rendered from. */
export interface GlyphFont {
  /** Absolute path on the generating machine (Debian's install path). */
  file: string;
  /** The Debian package that installs it, and that package's version. */
  package: string;
  version: string;
  license: string;
  sha256: string;
  family: string;
  subfamily: string;
}

/** Background scripts are for training; evaluation scripts are never seen in training. */
export type GlyphScriptSet = 'background' | 'evaluation';

export interface GlyphScript {
  /** Unicode Script property value, e.g. 'Devanagari'. */
  name: string;
  set: GlyphScriptSet;
  /** Indices into `fonts`, in the order the generator drew with them. */
  fonts: number[];
}

/** One class: a character of a script. */
export interface GlyphClass {
  script: string;
  codePoint: number;
  /** The within-script split: 'test' characters are unseen ones of a seen script. */
  within: 'train' | 'test';
}

export interface GlyphsMeta {
  format: 1;
  seed: number;
  instancesPerClass: number;
  fonts: GlyphFont[];
  scripts: GlyphScript[];
  /** Indexed by label. */
  classes: GlyphClass[];
}

/**
 * Reads and checks the metadata file.
 *
 * @example
 * const meta = readGlyphsMeta('data/glyphs/glyphs-meta.json');
 * meta.classes[0]; // { script: 'Latin', codePoint: 65, within: 'train' }
 */
export function readGlyphsMeta(file: string): GlyphsMeta {
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as GlyphsMeta;
  if (meta.format !== 1 || !Array.isArray(meta.classes) || !Array.isArray(meta.scripts)) {
    throw new Error(`Error in readGlyphsMeta: ${file} is not a format-1 glyph metadata file`);
  }
  const scripts = new Set(meta.scripts.map((s) => s.name));
  meta.classes.forEach((c, label) => {
    if (!scripts.has(c.script))
      throw new Error(`Error in readGlyphsMeta: ${file}: class ${label} names unknown script '${c.script}'`);
  });
  return meta;
}

/** 'Devanagari U+0915 क': how a class is named in reports. */
export function glyphClassName(c: GlyphClass): string {
  return `${c.script} U+${c.codePoint.toString(16).toUpperCase().padStart(4, '0')} ${String.fromCodePoint(c.codePoint)}`;
}
