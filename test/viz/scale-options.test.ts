/**
 * Scale options added for the notebooks: sweepPlot's logY and heatmap's diverging scheme with a
 * midpoint. Checked in the compiled vega spec (the scale vega will build) and in the rendered SVG.
 */
import { strict as assert } from 'assert';
import { compileSpec, heatmap, sweepPlot, toSvg, trainingCurves } from '../../lib/viz';
import { countMarks } from './helpers';

interface VegaScale {
  name: string;
  type?: string;
  domain?: unknown;
  domainMid?: number;
  nice?: boolean;
  zero?: boolean;
  range?: unknown;
}

async function scale(spec: Parameters<typeof compileSpec>[0], name: string): Promise<VegaScale> {
  const compiled = (await compileSpec(spec)) as { scales: VegaScale[] };
  const found = compiled.scales.find((s) => s.name === name);
  assert.ok(found, `compiled spec has a '${name}' scale`);
  return found;
}

/** Fill colours [r, g, b] of the rect marks, in drawing order. */
function rectFills(svg: string): number[][] {
  return [...svg.matchAll(/aria-roledescription="rect mark"[^>]*fill="rgb\((\d+), (\d+), (\d+)\)"/g)].map((m) =>
    m.slice(1, 4).map(Number),
  );
}

describe('viz scale options', function () {
  // Times over decades (1 ms .. 1 s), three seeds each.
  const records = [8, 32, 128].flatMap((param) =>
    [1, 2, 3].map((seed) => ({ param, seed, value: param ** 1.5 * (1 + seed / 20) })),
  );

  it('sweepPlot logY: a log y scale for line and bars, linear by default; renders', async function () {
    assert.equal((await scale(sweepPlot(records, { logY: true }), 'y')).type, 'log');
    assert.equal((await scale(sweepPlot(records), 'y')).type, 'linear');
    const both = sweepPlot(records, { logX: true, logY: true, yTitle: 'ms' });
    assert.equal((await scale(both, 'x')).type, 'log');
    const svg = await toSvg(both);
    assert.equal(countMarks(svg, 'line mark'), 1);
    assert.equal(countMarks(svg, 'errorbar'), 3);
  });

  it('sweepPlot and trainingCurves: axes end where the data end (no nice decades, no forced zero)', async function () {
    // 8..128 on a nice log axis would run 1..1000: two empty decades beside the curve.
    for (const [spec, names] of [
      [sweepPlot(records, { logX: true, logY: true }), ['x', 'y']],
      [sweepPlot(records), ['x', 'y']],
    ] as const) {
      for (const name of names) {
        const s = await scale(spec, name);
        assert.equal(s.nice, false, `${name} scale: nice`);
        if (s.type !== 'log') assert.equal(s.zero, false, `${name} scale: zero`);
      }
    }
    const curves = trainingCurves([{ name: 'a', points: [1, 2, 3].map((step) => ({ step, loss: 10 ** step })) }], {
      logY: true,
    });
    // Faceted: the y scale lives in each cell ('child_y').
    const compiled = JSON.stringify(await compileSpec(curves));
    const yScale = compiled.match(/\{"name":"child_y","type":"log"[^]*?"nice":(true|false)/);
    assert.ok(yScale, 'a log child_y scale');
    assert.equal(yScale[1], 'false');
  });

  it('sweepPlot logY: refuses values and std bars that a log axis cannot show', function () {
    assert.throws(
      () => sweepPlot([{ param: 1, value: 0 }], { logY: true }),
      /Error in sweepPlot: records\[\]\.value must be > 0 when logY is set, but got 0 at param 1/,
    );
    // Values 1 and 9: mean 5, sample std sqrt(32) = 5.657, so mean - std = -0.657; min..max is fine.
    const wide = [1, 9].map((value) => ({ param: 2, value }));
    assert.throws(
      () => sweepPlot(wide, { logY: true }),
      /Error in sweepPlot: errorBars must keep mean - std > 0 when logY is set \(or be 'minmax' or 'none'\), but got -0\.6568\d* at param 2/,
    );
    assert.doesNotThrow(() => sweepPlot(wide, { logY: true, errorBars: 'minmax' }));
  });

  it('heatmap diverging: redblue scheme with domainMid, symmetric default domain, pale middle', async function () {
    const cells = [-0.2, 0, 0.1].map((value, col) => ({ row: 'a', col, value }));
    const spec = heatmap(cells, { scheme: 'diverging', domainMid: 0, format: '+.2f' });
    const color = await scale(spec, 'color');
    assert.deepEqual(
      [color.domainMid, color.domain, color.range],
      [0, [-0.2, 0.2], { scheme: 'redblue' }],
      'symmetric about the midpoint: equal gains and losses get equally strong colours',
    );
    const svg = await toSvg(spec);
    assert.equal(countMarks(svg, 'rect mark'), 3);
    const [low, mid, high] = rectFills(svg);
    assert.ok(low[0] > 2 * low[2], `the loss is red: ${low}`);
    assert.ok(
      mid.every((c) => c > 220),
      `the midpoint is near white: ${mid}`,
    );
    assert.ok(high[2] > high[0] + 50, `the gain is blue: ${high}`);
    // An explicit domain is kept, the midpoint moved off 0; the default stays viridis.
    const moved = await scale(heatmap(cells, { scheme: 'diverging', domainMid: -0.05, domain: [-1, 1] }), 'color');
    assert.deepEqual([moved.domainMid, moved.domain], [-0.05, [-1, 1]]);
    const plain = await scale(heatmap(cells), 'color');
    assert.deepEqual([plain.range, plain.domainMid], [{ scheme: 'viridis' }, undefined]);
  });

  it('heatmap diverging: checks scheme and midpoint, naming them', function () {
    const cells = [{ row: 'a', col: 1, value: 0.5 }];
    assert.throws(
      () => heatmap(cells, { scheme: 'redblue' as never }),
      /Error in heatmap: options\.scheme must be one of 'sequential', 'diverging', but got "redblue"/,
    );
    assert.throws(
      () => heatmap(cells, { scheme: 'diverging', domainMid: 2, domain: [0, 1] }),
      /Error in heatmap: options\.domainMid must lie inside options\.domain \[0, 1\], but got 2/,
    );
    assert.throws(
      () => heatmap(cells, { domainMid: 0 }),
      /Error in heatmap: options\.domainMid must come with scheme: 'diverging', but got 0/,
    );
  });
});
