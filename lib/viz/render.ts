/**
 * Renders vega-lite specs in-process: vega-lite compiles to vega, a headless vega View (no
 * canvas, renderer 'none') writes SVG, and resvg (a Rust rasterizer shipped as a prebuilt npm
 * binary, so it installs offline) turns the SVG into PNG.
 *
 * vega and vega-lite are ESM-only; `await import()` survives the CommonJS build (module Node16),
 * so they load lazily and only when something is rendered.
 */
import * as fs from 'fs';
import type { TopLevelSpec } from './spec';
import { checkNumber, fail } from '../validate';

/** DejaVu Sans from npm (dejavu-fonts-ttf, a dependency): plots keep their labels without system fonts. */
function bundledFonts(): string[] {
  try {
    return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
  } catch {
    return [];
  }
}

/** Fonts the rasterizer may use, most preferred first; the first one present is the default. */
const FONT_CANDIDATES = [
  ...bundledFonts(),
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
];

/**
 * Compiles a vega-lite spec to a vega spec; throws with vega-lite's message when it is invalid.
 *
 * @example
 * const vgSpec = await compileSpec(trainingCurves([{ name: 'run', points: [{ step: 0, loss: 1 }] }]));
 */
export async function compileSpec(spec: TopLevelSpec): Promise<object> {
  const vl = await import('vega-lite');
  const warnings: string[] = [];
  // Treat vega-lite warnings (e.g. a field type it had to drop) as errors: a spec that compiles
  // with warnings usually renders something other than what the builder meant.
  const logger = {
    level: () => logger,
    error: (...m: unknown[]) => {
      throw new Error(`vega-lite: ${m.join(' ')}`);
    },
    warn: (...m: unknown[]) => {
      warnings.push(m.join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  const out = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0], { logger: logger as never }).spec;
  if (warnings.length > 0) throw new Error(`Error in compileSpec: vega-lite warned: ${warnings.join('; ')}`);
  return out;
}

/**
 * Renders a vega-lite spec to an SVG string with vega's headless view.
 *
 * @example
 * const svg = await toSvg(recallAtKBars([{ method: 'triplet', k: 1, recall: 0.8 }]));
 * fs.writeFileSync('recall.svg', svg);
 */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  if (!spec || typeof spec !== 'object') fail('toSvg', 'spec', 'be a vega-lite spec object', typeof spec);
  const vega = await import('vega');
  const vgSpec = await compileSpec(spec);
  const view = new vega.View(vega.parse(vgSpec as never), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Pixel density: 2 gives a sharp image on high-DPI screens (default 2). */
  scale?: number;
  /** Background colour (default white; a transparent PNG is unreadable on dark themes). */
  background?: string;
}

function fontFiles(): string[] {
  const present = FONT_CANDIDATES.filter((f) => fs.existsSync(f));
  // One DejaVu is enough: the npm copy, when present, stands in for the system's.
  return present[0]?.includes('dejavu-fonts-ttf')
    ? present.filter((f) => !f.startsWith('/usr/share/fonts/truetype/dejavu/'))
    : present;
}

/**
 * Rasterizes an SVG string to PNG bytes with resvg.
 *
 * @example
 * const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
 */
export async function svgToPng(svg: string, { scale = 2, background = 'white' }: PngOptions = {}): Promise<Uint8Array> {
  checkNumber('toPng', 'scale', scale, { min: 0, minExclusive: true, max: 16 });
  const { Resvg } = await import('@resvg/resvg-js');
  const files = fontFiles();
  const family = files.length > 0 && files[0].includes('Liberation') ? 'Liberation Sans' : 'DejaVu Sans';
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background,
    font: {
      // Explicit font files are fast to load; the system scan is the fallback for other machines.
      fontFiles: files,
      loadSystemFonts: files.length === 0,
      defaultFontFamily: family,
      sansSerifFamily: family,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

/**
 * Renders a vega-lite spec to PNG bytes (SVG via vega, then resvg).
 *
 * @example
 * fs.writeFileSync('curves.png', await toPng(trainingCurves(runs), { scale: 2 }));
 */
export async function toPng(spec: TopLevelSpec, options: PngOptions = {}): Promise<Uint8Array> {
  return svgToPng(await toSvg(spec), options);
}
