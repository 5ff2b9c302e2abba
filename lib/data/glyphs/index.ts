/**
 * The glyph set: 1,000+ classes (characters of 40+ scripts rendered from fonts), split by script
 * into background and evaluation sets, for open-set metric learning.
 *
 * @example
 * import { loadGlyphs } from 'metriclab';
 * const train = await loadGlyphs({ split: 'background' });
 * const test = await loadGlyphs({ split: 'evaluation' }); // scripts never seen in training
 */
export { GLYPH_SPLITS, GLYPH_WITHIN, loadGlyphs, locateGlyphs, readGlyphFiles, summarizeGlyphs } from './load';
export type {
  FlatGlyphs,
  GlyphInfo,
  GlyphLoadOptions,
  GlyphLocation,
  GlyphSplit,
  GlyphSummary,
  GlyphWithin,
  LoadedGlyphs,
} from './load';
export { GLYPH_FILES, glyphClassName, readGlyphsMeta } from './meta';
export type { GlyphClass, GlyphFont, GlyphScript, GlyphScriptSet, GlyphsMeta } from './meta';
