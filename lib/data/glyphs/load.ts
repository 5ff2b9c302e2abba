/**
 * The glyph set loader: a many-class (1,000+) Omniglot-style set of characters of 40+ scripts
 * rendered from fonts (data/glyphs, see data/PROVENANCE.md). Background scripts are for
 * training; evaluation scripts are whole scripts never seen in training; each script's
 * characters are also split into within-script 'train' and 'test' halves.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../tf';
import { ready } from '../../backend';
import type { ImageDataset } from '../../types';
import { checkNumber, checkOneOf, fail } from '../../validate';
import { IdxFormatError, readIdx } from '../idx';
import { dataDirectories, type DataDirectory } from '../locate';
import { GLYPH_FILES, glyphClassName, readGlyphsMeta, type GlyphClass, type GlyphsMeta } from './meta';

/** The script-level splits, e.g. `loadGlyphs({ split: GLYPH_SPLITS[1] })` for the evaluation scripts. */
export const GLYPH_SPLITS = ['background', 'evaluation', 'all'] as const;
/** By script: 'background' scripts (training), 'evaluation' scripts (unseen), or 'all'. */
export type GlyphSplit = (typeof GLYPH_SPLITS)[number];

/** The within-script halves, e.g. `loadGlyphs({ split: 'background', within: 'test' })` for validation. */
export const GLYPH_WITHIN = ['train', 'test', 'all'] as const;
/** The within-script split: 'test' characters are unseen characters of the same scripts. */
export type GlyphWithin = (typeof GLYPH_WITHIN)[number];

export interface GlyphLoadOptions {
  /** Which scripts, by set; default 'all'. */
  split?: GlyphSplit;
  /** Which characters of those scripts, by the within-script split; default 'all'. */
  within?: GlyphWithin;
  /** Keep only these scripts (Unicode names, e.g. 'Devanagari'); each must be in `split`. */
  scripts?: readonly string[];
  /** Keep only the first `limit` images (file order keeps each class together; classes are shuffled). */
  limit?: number;
  /** Images as [N, 784] instead of [N, 28, 28, 1]. */
  flat?: boolean;
  /** Look only here (its `glyphs/` subfolder or the folder itself). */
  dataDir?: string;
}

/** Fields of a loaded glyph set besides the images. */
export interface GlyphInfo {
  split: GlyphSplit;
  within: GlyphWithin;
  /** The scripts kept, in metadata order. */
  scripts: string[];
  /** Every class of the set, indexed by label (labels are global: the same in every split). */
  classes: GlyphClass[];
  /** Index into `meta.fonts` of the font each image was drawn in. */
  fonts: Int32Array;
  meta: GlyphsMeta;
  /** Why `source` was searched: 'METRICLAB_DATA_DIR', 'shipped' or 'dataDir option'. */
  origin: string;
}

export type LoadedGlyphs = ImageDataset & GlyphInfo;
export type FlatGlyphs = Omit<ImageDataset, 'images'> & GlyphInfo & { images: tf.Tensor2D };

/** Where the glyph files were found. */
export interface GlyphLocation {
  dir: string;
  origin: DataDirectory['origin'] | 'dataDir option';
}

/**
 * The first directory holding all glyph files: `dataDir` (or its glyphs/), else
 * METRICLAB_DATA_DIR/glyphs, then the repository's data/glyphs. Null when none has them.
 *
 * @example
 * locateGlyphs()?.dir; // '.../data/glyphs'
 */
export function locateGlyphs(dataDir?: string): GlyphLocation | null {
  const candidates: GlyphLocation[] = dataDir
    ? [
        { dir: path.resolve(dataDir, 'glyphs'), origin: 'dataDir option' },
        { dir: path.resolve(dataDir), origin: 'dataDir option' },
      ]
    : dataDirectories().map((d) => ({ dir: path.join(d.path, 'glyphs'), origin: d.origin }));
  return candidates.find((c) => Object.values(GLYPH_FILES).every((f) => fs.existsSync(path.join(c.dir, f)))) ?? null;
}

/**
 * Reads and cross-checks the image, label and font files against the metadata (no tensors).
 *
 * @example
 * const { meta, labels } = readGlyphFiles(locateGlyphs()!.dir);
 * meta.classes[labels[0]].script; // e.g. 'Georgian'
 */
export function readGlyphFiles(dir: string): {
  meta: GlyphsMeta;
  pixels: Uint8Array;
  labels: Int16Array;
  fonts: Int16Array;
} {
  const file = (name: string): string => path.join(dir, name);
  const meta = readGlyphsMeta(file(GLYPH_FILES.meta));
  const img = readIdx(file(GLYPH_FILES.images));
  const lab = readIdx(file(GLYPH_FILES.labels));
  const fon = readIdx(file(GLYPH_FILES.fonts));
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== 28 || img.shape[2] !== 28) {
    throw new IdxFormatError(file(GLYPH_FILES.images), `expected uint8 [N,28,28], got ${img.dtype} [${img.shape}]`);
  }
  for (const [name, arr, bound] of [
    [GLYPH_FILES.labels, lab, meta.classes.length],
    [GLYPH_FILES.fonts, fon, meta.fonts.length],
  ] as const) {
    if (arr.dtype !== 'int16' || arr.shape.length !== 1 || arr.shape[0] !== img.shape[0]) {
      throw new IdxFormatError(file(name), `expected int16 [${img.shape[0]}], got ${arr.dtype} [${arr.shape}]`);
    }
    const bad = (arr.data as Int16Array).findIndex((v) => v < 0 || v >= bound);
    if (bad >= 0) throw new IdxFormatError(file(name), `value ${arr.data[bad]} at ${bad} is not in [0, ${bound})`);
  }
  return {
    meta,
    pixels: img.data as Uint8Array,
    labels: lab.data as Int16Array,
    fonts: fon.data as Int16Array,
  };
}

/**
 * Loads the glyph set, or part of it by script set, within-script half and script names.
 *
 * @example
 * const train = await loadGlyphs({ split: 'background', within: 'train' });
 * const test = await loadGlyphs({ split: 'evaluation', limit: 2000 });
 * test.images.shape; // [2000, 28, 28, 1]: whole scripts never seen in training
 */
export async function loadGlyphs(opts: GlyphLoadOptions & { flat: true }): Promise<FlatGlyphs>;
export async function loadGlyphs(opts?: GlyphLoadOptions & { flat?: false }): Promise<LoadedGlyphs>;
export async function loadGlyphs(opts?: GlyphLoadOptions): Promise<LoadedGlyphs | FlatGlyphs>;
export async function loadGlyphs(opts: GlyphLoadOptions = {}): Promise<LoadedGlyphs | FlatGlyphs> {
  const fn = 'loadGlyphs';
  const split = checkOneOf(fn, 'split', opts.split ?? 'all', GLYPH_SPLITS);
  const within = checkOneOf(fn, 'within', opts.within ?? 'all', GLYPH_WITHIN);
  if (opts.limit !== undefined) checkNumber(fn, 'limit', opts.limit, { min: 1, integer: true });
  const location = locateGlyphs(opts.dataDir);
  if (!location) {
    const searched = opts.dataDir ? [opts.dataDir] : dataDirectories().map((d) => `${d.path}/glyphs`);
    fail(
      fn,
      'files',
      `exist (${Object.values(GLYPH_FILES).join(', ')}) in one of ${searched.join(', ')}`,
      'none found',
    );
  }
  const { meta, pixels, labels, fonts } = readGlyphFiles(location.dir);
  const inSplit = meta.scripts.filter((s) => split === 'all' || s.set === split).map((s) => s.name);
  if (opts.scripts !== undefined) {
    if (!Array.isArray(opts.scripts) || opts.scripts.length === 0)
      fail(fn, 'scripts', 'be a non-empty array of script names', JSON.stringify(opts.scripts));
    for (const s of opts.scripts) {
      if (!inSplit.includes(s)) {
        const where = meta.scripts.some((m) => m.name === s) ? ` (it is in another split)` : '';
        fail(fn, 'scripts', `name scripts of split '${split}': ${inSplit.join(', ')}`, `'${s}'${where}`);
      }
    }
  }
  const wanted = new Set(opts.scripts ?? inSplit);
  const keepClass = meta.classes.map((c) => wanted.has(c.script) && (within === 'all' || c.within === within));
  const keep: number[] = [];
  for (let i = 0; i < labels.length && keep.length < (opts.limit ?? Infinity); i++)
    if (keepClass[labels[i]]) keep.push(i);
  const n = keep.length;
  const out = new Float32Array(n * 784);
  const outLabels = new Int32Array(n);
  const outFonts = new Int32Array(n);
  keep.forEach((src, i) => {
    for (let p = 0; p < 784; p++) out[i * 784 + p] = pixels[src * 784 + p] / 255;
    outLabels[i] = labels[src];
    outFonts[i] = fonts[src];
  });
  await ready();
  const info = {
    labels: outLabels,
    classNames: meta.classes.map(glyphClassName),
    name: 'glyphs',
    source: location.dir,
    origin: location.origin,
    split,
    within,
    scripts: meta.scripts.map((s) => s.name).filter((s) => wanted.has(s)),
    classes: meta.classes,
    fonts: outFonts,
    meta,
  };
  if (opts.flat) return { ...info, images: tf.tensor2d(out, [n, 784]) };
  return { ...info, images: tf.tensor4d(out, [n, 28, 28, 1]) };
}

/** What `metriclab data` reports about the glyph set. */
export interface GlyphSummary {
  source: string | null;
  origin: string | null;
  bytes: number;
  images: number;
  classes: number;
  /** Scripts, classes and images per set. */
  sets: { set: 'background' | 'evaluation'; scripts: number; classes: number; images: number }[];
  error?: string;
}

/**
 * Summarises the glyph set found (no tensors made).
 *
 * @example
 * summarizeGlyphs().classes; // e.g. 1300
 */
export function summarizeGlyphs(): GlyphSummary {
  const loc = locateGlyphs();
  const empty = { bytes: 0, images: 0, classes: 0, sets: [] };
  if (!loc) return { source: null, origin: null, ...empty };
  const bytes = Object.values(GLYPH_FILES).reduce((s, f) => s + fs.statSync(path.join(loc.dir, f)).size, 0);
  try {
    const { meta, labels } = readGlyphFiles(loc.dir);
    const setOf = new Map(meta.scripts.map((s) => [s.name, s.set]));
    const sets = (['background', 'evaluation'] as const).map((set) => {
      const classIds = new Set(meta.classes.flatMap((c, i) => (setOf.get(c.script) === set ? [i] : [])));
      return {
        set,
        scripts: meta.scripts.filter((s) => s.set === set).length,
        classes: classIds.size,
        images: labels.filter((l) => classIds.has(l)).length,
      };
    });
    return { source: loc.dir, origin: loc.origin, bytes, images: labels.length, classes: meta.classes.length, sets };
  } catch (e) {
    return { source: loc.dir, origin: loc.origin, ...empty, bytes, error: (e as Error).message };
  }
}
