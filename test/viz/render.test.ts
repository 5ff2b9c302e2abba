/**
 * Rendering: PNG bytes are a valid image of the chart's size with visible content and legible
 * (rasterized) text; the thumbnail encoder round-trips pixel values.
 */
import { strict as assert } from 'assert';
import { encodeGrayPng, imageDataUrl, neighborGrid, recallAtKBars, svgToPng, toPng, toSvg } from '../../lib/viz';
import { decodePng, pixelStats } from './helpers';

describe('viz rendering', function () {
  it('encodeGrayPng round-trips values (clipped, quantized to 1/255) and repeats pixels by scale', function () {
    const pixels = [0, 0.5, 1, 2, -1, 0.25];
    const png = decodePng(encodeGrayPng({ pixels, width: 3, height: 2 }, 2));
    assert.equal(png.width, 6);
    assert.equal(png.height, 4);
    assert.equal(png.channels, 1);
    const expected = [0, 128, 255, 255, 0, 64]; // round(255 * clip(v, 0, 1))
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 6; x++) {
        const src = Math.floor(y / 2) * 3 + Math.floor(x / 2);
        assert.equal(png.pixels[y * 6 + x], expected[src], `pixel (${x}, ${y})`);
      }
    }
    assert.match(
      imageDataUrl([
        [0, 1],
        [1, 0],
      ]),
      /^data:image\/png;base64,iVBORw0KGgo/,
    );
  });

  it('toPng: valid PNG at scale x the SVG size, with non-blank pixels', async function () {
    const spec = recallAtKBars([
      { method: 'a', k: 1, recall: 0.4 },
      { method: 'b', k: 1, recall: 0.9 },
    ]);
    const svg = await toSvg(spec);
    const [, w, h] = svg.match(/<svg[^>]*width="(\d+)" height="(\d+)"/)!.map(Number);
    const png1 = decodePng(await toPng(spec, { scale: 1 }));
    const png2 = decodePng(await toPng(spec, { scale: 2 }));
    assert.deepEqual([png1.width, png1.height], [w, h]);
    assert.deepEqual([png2.width, png2.height], [2 * w, 2 * h]);
    const stats = pixelStats(png2);
    // Bars, axes and text cover a real part of the image but not all of it (white background).
    assert.ok(stats.nonWhite > 0.05 * stats.total && stats.nonWhite < 0.6 * stats.total, JSON.stringify(stats));
  });

  it('svgToPng rasterizes text with an installed font (not tofu, not nothing)', async function () {
    const svgText = (t: string): string =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="28" font-family="DejaVu Sans, sans-serif" font-size="24">${t}</text></svg>`;
    const ink = async (t: string): Promise<number> =>
      pixelStats(decodePng(await svgToPng(svgText(t), { scale: 1 }))).nonWhite;
    const none = await ink('');
    const i = await ink('i');
    const m = await ink('WWWW');
    assert.equal(none, 0);
    // Real glyphs: more ink for more and wider letters (a missing font draws nothing or equal boxes).
    assert.ok(i > 10 && m > 4 * i, `ink: i=${i}, WWWW=${m}`);
  });

  it('svgToPng draws text with the DejaVu Sans shipped on npm, so labels need no system fonts', async function () {
    const { Resvg } = await import('@resvg/resvg-js');
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="28" font-family="DejaVu Sans, sans-serif" font-size="24">Recall@1</text></svg>';
    // The same text rendered with ONLY the npm font file and no system font scan: identical pixels.
    const onlyNpmFont = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: 1 },
      background: 'white',
      font: {
        fontFiles: [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')],
        loadSystemFonts: false,
        defaultFontFamily: 'DejaVu Sans',
        sansSerifFamily: 'DejaVu Sans',
      },
    });
    const expected = decodePng(new Uint8Array(onlyNpmFont.render().asPng()));
    const actual = decodePng(await svgToPng(svg, { scale: 1 }));
    assert.ok(pixelStats(expected).nonWhite > 100, 'the npm font draws the text');
    assert.deepEqual(Array.from(actual.pixels), Array.from(expected.pixels));
  });

  it('image grid PNG shows the thumbnails and red frames around wrong neighbours', async function () {
    const img = new Float32Array(784).fill(0); // black thumbnails
    const spec = neighborGrid([
      {
        query: { image: img, label: 0 },
        neighbors: [
          { image: img, label: 0 },
          { image: img, label: 1 },
        ],
      },
    ]);
    const stats = pixelStats(decodePng(await toPng(spec, { scale: 1 })));
    // 3 black 51x51 thumbnails (80% of a 64 px cell) and one red frame (~4 x 55 x 3.5 px).
    assert.ok(stats.nonWhite > 3 * 51 * 51, JSON.stringify(stats));
    assert.ok(stats.red > 400 && stats.red < 1000, JSON.stringify(stats)); // two red frames give ~1300
  });

  it('toPng names a bad scale', async function () {
    await assert.rejects(
      svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', { scale: 0 }),
      /Error in toPng: scale must be > 0 and <= 16, but got 0/,
    );
  });
});
