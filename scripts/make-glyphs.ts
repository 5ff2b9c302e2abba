/**
 * Builds data/glyphs/ (the many-class glyph set for open-set experiments) from Debian's font
 * packages and rewrites the glyph sections of data/PROVENANCE.md. Deterministic: the same font
 * files give the same bytes (seed GLYPHS_SEED; the sha256 of every output is printed).
 *
 *   apt-get install fonts-noto-core fonts-noto-extra fonts-dejavu-core fonts-dejavu-extra
 *   npx tsx scripts/make-glyphs.ts
 *
 * Steps (lib/data/glyphs/generate.ts): per script, pick up to CLASSES_PER_SCRIPT letters from
 * the primary font's cmap (seeded, no empty or duplicate glyphs); render them in up to
 * FONTS_PER_SCRIPT fonts of the script, each font checked glyph by glyph (cmap + ink); draw
 * INSTANCES_PER_CLASS 28×28 instances per class with seeded distortions. Scripts are split
 * seeded into background and evaluation sets, each script's characters into within-script
 * train and test halves.
 */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeIdx } from '../lib/data/idx';
import {
  BACKGROUND_FRACTION,
  GLYPH_SCRIPTS,
  GLYPHS_SEED,
  INSTANCES_PER_CLASS,
  WITHIN_TEST_FRACTION,
  chooseCharacters,
  chooseFonts,
  drawScript,
  fontFamilyStem,
} from '../lib/data/glyphs/generate';
import {
  GLYPH_FILES,
  type GlyphClass,
  type GlyphFont,
  type GlyphScript,
  type GlyphsMeta,
} from '../lib/data/glyphs/meta';
import { readFontInfo, type FontInfo } from '../lib/data/glyphs/sfnt';
import { Random } from '../lib/random';

const DATA = path.resolve(__dirname, '..', 'data');
const OUT = path.join(DATA, 'glyphs');
const FONT_DIRS = ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/truetype/dejavu'];
const PIXELS = 28 * 28;
const LICENSES: Record<string, string> = {
  'fonts-noto-core': 'SIL Open Font License 1.1',
  'fonts-noto-extra': 'SIL Open Font License 1.1',
  'fonts-dejavu-core': 'Bitstream Vera Fonts license (DejaVu changes: public domain)',
  'fonts-dejavu-extra': 'Bitstream Vera Fonts license (DejaVu changes: public domain)',
};

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Font file → Debian package and version, from dpkg's own file lists (one query per package). */
function debianPackages(): Map<string, { package: string; version: string }> {
  const out = new Map<string, { package: string; version: string }>();
  for (const pkg of Object.keys(LICENSES)) {
    const list = `/var/lib/dpkg/info/${pkg}.list`;
    if (!fs.existsSync(list)) continue;
    const version = execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).trim();
    for (const file of fs.readFileSync(list, 'utf8').split('\n')) {
      if (file.endsWith('.ttf') && fs.existsSync(file)) out.set(fs.realpathSync(file), { package: pkg, version });
    }
  }
  return out;
}

function scriptFonts(families: readonly string[], all: readonly string[]): string[] {
  const rank = (f: string): number => families.indexOf(fontFamilyStem(f));
  return all.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function isRegular(file: string): boolean {
  return /-Regular\.ttf$/.test(file) || /\/DejaVu(Sans|Serif)\.ttf$/.test(file);
}

async function main(): Promise<void> {
  const allFiles = FONT_DIRS.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : []))
    .filter((f) => f.endsWith('.ttf'))
    .sort();
  const infoCache = new Map<string, FontInfo>();
  const info = (file: string): FontInfo => {
    if (!infoCache.has(file)) infoCache.set(file, readFontInfo(file));
    return infoCache.get(file)!;
  };
  const rng = new Random(GLYPHS_SEED);
  const scriptOrder = rng.fork('script-sets').shuffle(GLYPH_SCRIPTS.map((s) => s.name));
  const background = new Set(scriptOrder.slice(0, Math.round(BACKGROUND_FRACTION * scriptOrder.length)));

  const classes: GlyphClass[] = [];
  const scripts: { name: string; set: GlyphScript['set']; files: string[] }[] = [];
  const drawn: { pixels: Uint8Array; file: string }[][] = [];
  for (const spec of GLYPH_SCRIPTS) {
    const files = scriptFonts(spec.families, allFiles);
    const primaryFile = files.find((f) => fontFamilyStem(f) === spec.families[0] && isRegular(f));
    if (!primaryFile) throw new Error(`make-glyphs: no Regular font of ${spec.families[0]} for ${spec.name}`);
    const primary = info(primaryFile);
    const chars = await chooseCharacters(spec, primary);
    const covering = [primary, ...files.filter((f) => f !== primaryFile).map(info)].filter((f) =>
      chars.some((cp) => f.codePoints.has(cp)),
    );
    const fonts = chooseFonts(spec, covering);
    const byClass = await drawScript(spec.name, fonts, chars);
    const testCount = Math.round(WITHIN_TEST_FRACTION * chars.length);
    const testChars = new Set(rng.fork(`within:${spec.name}`).sample(chars, testCount));
    chars.forEach((cp, c) => {
      classes.push({ script: spec.name, codePoint: cp, within: testChars.has(cp) ? 'test' : 'train' });
      drawn.push(byClass[c].map((d) => ({ pixels: d.pixels, file: fonts[d.font].file })));
    });
    const set = background.has(spec.name) ? 'background' : 'evaluation';
    scripts.push({ name: spec.name, set, files: fonts.map((f) => f.file) });
    console.log(`${spec.name}: ${chars.length} classes, ${fonts.length} fonts (${set})`);
  }

  const usedFiles = [...new Set(scripts.flatMap((s) => s.files))].sort();
  const fontId = new Map(usedFiles.map((f, i) => [f, i]));
  const packages = debianPackages();
  const fonts: GlyphFont[] = usedFiles.map((file) => {
    const deb = packages.get(fs.realpathSync(file));
    if (!deb) throw new Error(`make-glyphs: ${file} is not from ${Object.keys(LICENSES).join(', ')}`);
    const f = info(file);
    return {
      file,
      ...deb,
      license: LICENSES[deb.package] ?? 'unknown',
      sha256: sha256(fs.readFileSync(file)),
      family: f.family,
      subfamily: f.subfamily,
    };
  });

  // Classes in a seeded order, each class's instances together: a `limit` keeps whole classes
  // spread over all scripts.
  const order = rng.fork('file-order').permutation(classes.length);
  const n = classes.length * INSTANCES_PER_CLASS;
  const images = new Uint8Array(n * PIXELS);
  const labels = new Int16Array(n);
  const fontIds = new Int16Array(n);
  let at = 0;
  for (const label of order) {
    for (const d of drawn[label]) {
      images.set(d.pixels, at * PIXELS);
      labels[at] = label;
      fontIds[at] = fontId.get(d.file)!;
      at++;
    }
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  writeIdx(path.join(OUT, GLYPH_FILES.images), { dtype: 'uint8', shape: [n, 28, 28], data: images });
  writeIdx(path.join(OUT, GLYPH_FILES.labels), { dtype: 'int16', shape: [n], data: labels });
  writeIdx(path.join(OUT, GLYPH_FILES.fonts), { dtype: 'int16', shape: [n], data: fontIds });
  const meta: GlyphsMeta = {
    format: 1,
    seed: GLYPHS_SEED,
    instancesPerClass: INSTANCES_PER_CLASS,
    fonts,
    scripts: scripts.map((s) => ({ name: s.name, set: s.set, fonts: s.files.map((f) => fontId.get(f)!) })),
    classes,
  };
  // One class / font per line keeps the file diffable.
  const lines = (xs: unknown[]): string => xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n');
  fs.writeFileSync(
    path.join(OUT, GLYPH_FILES.meta),
    `{\n  "format": 1,\n  "seed": ${meta.seed},\n  "instancesPerClass": ${meta.instancesPerClass},\n` +
      `  "fonts": [\n${lines(fonts)}\n  ],\n  "scripts": [\n${lines(meta.scripts)}\n  ],\n` +
      `  "classes": [\n${lines(classes)}\n  ]\n}\n`,
  );
  writeProvenance(meta);
}

/** Replaces the generated part of data/PROVENANCE.md (between the glyphs markers). */
function writeProvenance(meta: GlyphsMeta): void {
  const files = Object.values(GLYPH_FILES).map((name) => {
    const bytes = fs.readFileSync(path.join(OUT, name));
    return `| glyphs/${name} | ${bytes.length} | \`${sha256(bytes)}\` |`;
  });
  const scriptRows = meta.scripts.map((s) => {
    const n = meta.classes.filter((c) => c.script === s.name).length;
    return `| ${s.name} | ${s.set} | ${n} | ${s.fonts.length} |`;
  });
  const fontRows = meta.fonts.map(
    (f) => `| ${path.basename(f.file)} | ${f.package} ${f.version} | ${f.license} | \`${f.sha256}\` |`,
  );
  const text = [
    '<!-- glyphs:generated (scripts/make-glyphs.ts rewrites this part) -->',
    '',
    '### glyphs: files (sha256)',
    '',
    '| file | bytes | sha256 |',
    '| --- | --- | --- |',
    ...files,
    '',
    '### glyphs: scripts',
    '',
    '| script | set | classes | fonts |',
    '| --- | --- | --- | --- |',
    ...scriptRows,
    '',
    `### glyphs: font files (${meta.fonts.length}, all under /usr/share/fonts/truetype/)`,
    '',
    '| font file | Debian package | licence | sha256 |',
    '| --- | --- | --- | --- |',
    ...fontRows,
    '',
    '<!-- /glyphs:generated -->',
  ].join('\n');
  const file = path.join(DATA, 'PROVENANCE.md');
  const old = fs.readFileSync(file, 'utf8');
  const re = /<!-- glyphs:generated[\s\S]*<!-- \/glyphs:generated -->/;
  fs.writeFileSync(file, re.test(old) ? old.replace(re, text) : `${old.trimEnd()}\n\n${text}\n`);
  console.log(files.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
