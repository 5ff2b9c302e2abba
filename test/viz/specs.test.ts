/**
 * Every spec builder: compiles as vega-lite without warnings (compileSpec treats warnings as
 * errors), renders to SVG with the expected number of marks and titles, and rejects bad input
 * with a message naming the argument.
 */
import { strict as assert } from 'assert';
import {
  aggregateSweep,
  compileSpec,
  corruptionGrid,
  distanceHistogram,
  embeddingMap,
  heatmap,
  histogramBins,
  imageGrid,
  neighborGrid,
  recallAtKBars,
  sweepPlot,
  toSvg,
  trainingCurves,
} from '../../lib/viz';
import type { History, StepRecord } from '../../lib/train/types';
import { countMarks, texts } from './helpers';

const image = (v: number): Float32Array => new Float32Array(784).fill(v);

describe('viz spec builders', function () {
  it('trainingCurves: one line per (run, metric), points per value, panels titled by metric', async function () {
    const runs = ['a', 'b'].map((name, r) => ({
      name,
      points: [0, 1, 2, 3].map((step) => ({ step, loss: 1 / (step + 1 + r), recallAt1: step === 3 ? 0.9 : null })),
    }));
    const svg = await toSvg(trainingCurves(runs, { title: 'Curves' }));
    assert.equal(countMarks(svg, 'line mark'), 4, '2 runs x 2 metric panels');
    // 2 runs x 4 losses + 2 runs x 1 recall (nulls left out).
    assert.equal(countMarks(svg, 'point'), 10);
    const t = texts(svg);
    for (const title of ['Curves', 'loss', 'recallAt1', 'step', 'a', 'b']) assert.ok(t.includes(title), title);
    const only = await toSvg(trainingCurves(runs, { metrics: ['loss'], x: 'step' }));
    assert.equal(countMarks(only, 'line mark'), 2);
  });

  it('trainingCurves takes history.steps as documented (StepRecord typed, extra fields ignored)', async function () {
    const steps: StepRecord[] = [0, 1, 2].map((step) => ({
      step,
      epoch: 0,
      loss: 1 / (step + 1),
      terms: 10,
      activeTerms: 5,
      fractionActive: 0.5,
      meanPositiveDistance: 0.2,
      meanNegativeDistance: 0.8,
    }));
    const history: Pick<History, 'steps'> = { steps };
    const svg = await toSvg(trainingCurves([{ name: 'triplet', points: history.steps }], { metrics: ['loss'] }));
    assert.equal(countMarks(svg, 'point'), 3);
    assert.throws(
      () => trainingCurves([{ name: 'r', points: [null as unknown as object] }]),
      /Error in trainingCurves: runs\[0\]\.points\[0\] must be a record/,
    );
  });

  it('trainingCurves: names a missing x field and an unknown metric', function () {
    assert.throws(
      () => trainingCurves([{ name: 'r', points: [{ epoch: 1, loss: 1 }] }]),
      /Error in trainingCurves: runs\[0\]\.points\[0\]\.step must be a finite number \(the x field\), but got undefined/,
    );
    assert.throws(
      () => trainingCurves([{ name: 'r', points: [{ step: 1, loss: 1 }] }], { metrics: ['acc'] }),
      /Error in trainingCurves: options\.metrics must name fields present in the points \(loss\), but got acc/,
    );
    assert.throws(() => trainingCurves([]), /Error in trainingCurves: runs must be a non-empty array/);
  });

  it('embeddingMap: one symbol per point, class legend, unseen classes as hollow triangles', async function () {
    const points = [
      [0, 0],
      [1, 0],
      [0, 1],
      [5, 5],
      [6, 5],
    ];
    const spec = embeddingMap(
      { points, labels: [0, 0, 1, 2, 2], classNames: ['shirt', 'bag', 'boot'], unseenClasses: [2] },
      { title: 'Map' },
    );
    const svg = await toSvg(spec);
    assert.equal(countMarks(svg, 'point'), 5);
    const t = texts(svg);
    for (const s of ['shirt', 'bag', 'boot', 'seen', 'unseen', 'dim 1', 'dim 2', 'Map']) assert.ok(t.includes(s), s);
    // The two unseen points are triangles with a transparent fill.
    const unseenItems = svg.match(/<path[^>]*aria-label="[^"]*split: unseen[^"]*"[^>]*>/g) ?? [];
    assert.equal(unseenItems.length, 2);
    for (const item of unseenItems) assert.match(item, /fill-opacity="0"/);
    // Without unseen classes there is no shape legend.
    const plain = await toSvg(embeddingMap({ points, labels: [0, 0, 1, 2, 2] }));
    assert.ok(!texts(plain).includes('unseen'));
  });

  it('embeddingMap: checks label count and point shape', function () {
    assert.throws(
      () => embeddingMap({ points: [[0, 0]], labels: [0, 1] }),
      /Error in embeddingMap: labels must have one entry per embedding \(1\), but got 2/,
    );
    assert.throws(
      () => embeddingMap({ points: [[0, 0, 0]], labels: [0] }),
      /Error in embeddingMap: points\[0\] must be two finite numbers, but got 0,0,0/,
    );
  });

  it('histogramBins: shared edges, per-kind fractions, last edge inclusive (hand-derived)', function () {
    // Range [0, 1], 4 bins of 0.25: positive 0 -> bin 0, 0.3 -> bin 1, 0.3 -> bin 1;
    // negative 0.8 -> bin 3, 1.0 -> bin 3 (inclusive end).
    const bins = histogramBins({ positive: [0, 0.3, 0.3], negative: [0.8, 1] }, 4);
    const pos = bins.filter((b) => b.kind === 'positive');
    const neg = bins.filter((b) => b.kind === 'negative');
    assert.deepEqual(
      pos.map((b) => b.count),
      [1, 2, 0, 0],
    );
    assert.deepEqual(
      neg.map((b) => b.count),
      [0, 0, 0, 2],
    );
    assert.deepEqual(
      pos.map((b) => b.start),
      [0, 0.25, 0.5, 0.75],
    );
    assert.ok(Math.abs(pos[1].fraction - 2 / 3) < 1e-12);
    assert.equal(neg[3].fraction, 1);
  });

  it('distanceHistogram: two overlaid series of `bins` rects each', async function () {
    const svg = await toSvg(
      distanceHistogram({ positive: [0.1, 0.2, 0.25], negative: [0.7, 0.9, 1.1, 1.2] }, { bins: 12 }),
    );
    assert.equal(countMarks(svg, 'rect mark'), 24);
    for (const s of ['positive', 'negative', 'distance', 'fraction of pairs']) assert.ok(texts(svg).includes(s), s);
    assert.throws(
      () => distanceHistogram({ positive: [0.1, NaN], negative: [1] }),
      /Error in distanceHistogram: positive must contain only finite numbers, but got NaN at index 1/,
    );
    assert.throws(
      () => distanceHistogram({ positive: [], negative: [1] }),
      /Error in distanceHistogram: positive must be a non-empty array of numbers, but got an empty array/,
    );
  });

  it('aggregateSweep: mean, sample std and min/max per (series, param), hand-derived', function () {
    // Values 1, 2, 4 at param 1: mean 7/3; squared deviations 16/9 + 1/9 + 25/9 = 42/9; / (n - 1) = 7/3.
    const recs = [1, 2, 4].map((value, seed) => ({ param: 1, seed, value }));
    const [std] = aggregateSweep([...recs, { param: 2, value: 5, series: 'b' }], 'std').filter((p) => p.param === 1);
    assert.ok(Math.abs(std.mean - 7 / 3) < 1e-12 && Math.abs(std.std - Math.sqrt(7 / 3)) < 1e-12);
    assert.ok(Math.abs(std.lo - (7 / 3 - Math.sqrt(7 / 3))) < 1e-12 && std.n === 3);
    const [minmax] = aggregateSweep(recs, 'minmax');
    assert.deepEqual([minmax.lo, minmax.hi], [1, 4]);
    const single = aggregateSweep([{ param: 3, value: 0.5, series: 'b' }], 'std');
    assert.deepEqual(single, [
      { series: 'b', param: 3, mean: 0.5, std: 0, min: 0.5, max: 0.5, n: 1, lo: 0.5, hi: 0.5 },
    ]);
  });

  it('sweepPlot: one line and one error bar per (series, value); log x axis', async function () {
    const records = [0.01, 0.1, 1].flatMap((param) =>
      [1, 2, 3].flatMap((seed) => ['a', 'b'].map((series) => ({ param, seed, series, value: param + seed / 10 }))),
    );
    const spec = sweepPlot(records, { logX: true, xTitle: 'margin', yTitle: 'Recall@1' });
    const svg = await toSvg(spec);
    assert.equal(countMarks(svg, 'line mark'), 2);
    assert.equal(countMarks(svg, 'errorbar'), 6);
    const t = texts(svg);
    for (const s of ['margin', 'Recall@1', '0.01', '0.1', '1']) assert.ok(t.includes(s), s);
    const layers = (spec as { layer: { encoding: { x: { scale: unknown } } }[] }).layer;
    assert.deepEqual(layers[0].encoding.x.scale, { type: 'log', nice: false });
    const noBars = await toSvg(sweepPlot(records, { errorBars: 'none' }));
    assert.equal(countMarks(noBars, 'errorbar'), 0);
    assert.throws(
      () => sweepPlot([{ param: 0, value: 1 }], { logX: true }),
      /Error in sweepPlot: records\[\]\.param must be > 0 when logX is set, but got 0/,
    );
    assert.throws(
      () => sweepPlot([{ param: 1, value: 1 }], { errorBars: 'sd' as never }),
      /Error in sweepPlot: errorBars must be one of 'std', 'minmax', 'none', but got "sd"/,
    );
  });

  it('recallAtKBars: one bar and one label per row, grouped by K', async function () {
    const rows = [1, 5, 10].flatMap((k) =>
      ['pixels', 'triplet'].map((method, j) => ({ method, k, recall: 0.5 + 0.1 * j + k / 100 })),
    );
    const svg = await toSvg(recallAtKBars(rows, { title: 'Recall' }));
    assert.equal(countMarks(svg, 'bar'), 6);
    assert.equal(countMarks(svg, 'text mark'), 6);
    const t = texts(svg);
    for (const s of ['R@1', 'R@5', 'R@10', 'pixels', 'triplet', '0.51', '0.70']) assert.ok(t.includes(s), s);
    // K axis in numeric order, not string order (R@10 after R@5).
    assert.ok(t.indexOf('R@5') < t.indexOf('R@10'));
    assert.throws(
      () => recallAtKBars([{ method: 'm', k: 1, recall: 1.5 }]),
      /Error in recallAtKBars: rows\[0\]\.recall must be in \[0, 1\], but got 1\.5/,
    );
  });

  it('heatmap: one cell and one value per entry, rows and columns titled', async function () {
    const cells = ['noise', 'blur'].flatMap((row) => [1, 2, 3].map((col) => ({ row, col, value: col / 4 })));
    const svg = await toSvg(heatmap(cells, { rowTitle: 'corruption', colTitle: 'severity', domain: [0, 1] }));
    assert.equal(countMarks(svg, 'rect mark'), 6);
    assert.equal(countMarks(svg, 'text mark'), 6);
    for (const s of ['corruption', 'severity', 'noise', 'blur', '0.25', '0.75']) assert.ok(texts(svg).includes(s), s);
    assert.throws(
      () => heatmap([{ row: 'a', col: 1, value: Infinity }]),
      /Error in heatmap: cells\[0\]\.value must be a finite number, but got Infinity/,
    );
  });

  it('imageGrid / neighborGrid: an image per cell, frames only where asked, wrong ones red', async function () {
    const spec = neighborGrid(
      [
        {
          query: { image: image(0.2), label: 1 },
          neighbors: [
            { image: image(0.4), label: 1 },
            { image: image(0.6), label: 2 },
            { image: image(0.8), label: 1 },
          ],
        },
        { query: { image: image(0.5), label: 2 }, neighbors: [0, 1, 2].map(() => ({ image: image(0.5), label: 0 })) },
      ],
      { classNames: ['boot', 'bag', 'coat'] },
    );
    const svg = await toSvg(spec);
    assert.equal(countMarks(svg, 'image mark'), 8);
    assert.equal(countMarks(svg, 'square'), 8, 'every cell of a neighbour grid is framed');
    const frames = svg.match(/<path[^>]*aria-roledescription="square"[^>]*>/g) ?? [];
    const red = frames.filter((f) => f.includes('stroke="#d62728"'));
    assert.equal(red.length, 4, '1 wrong neighbour in row 1, 3 in row 2');
    for (const s of ['query', '1', '2', '3', 'query 1', 'query 2', 'bag', 'coat', 'neighbour rank']) {
      assert.ok(texts(svg).includes(s), s);
    }
    assert.match(svg, /href="data:image\/png;base64,iVBORw0KGgo/);
    const plain = await toSvg(imageGrid([{ row: 'r', col: 'c', image: image(1) }]));
    assert.equal(countMarks(plain, 'image mark'), 1);
    assert.equal(countMarks(plain, 'square'), 0);
    assert.throws(
      () => imageGrid([{ row: 'r', col: 'c', image: new Float32Array(10) }]),
      /Error in imageGrid: cells\[0\]\.image must be a square image when given as a flat array \(e\.g\. 784 = 28x28 values\), but got 10 values/,
    );
  });

  it('corruptionGrid: rows = corruptions, columns = severities', async function () {
    const spec = corruptionGrid(
      [
        { corruption: 'noise', images: [image(0), image(0.3), image(0.6)] },
        { corruption: 'blur', images: [image(0), image(0.3), image(0.6)] },
      ],
      { severities: ['clean', 1, 2] },
    );
    const svg = await toSvg(spec);
    assert.equal(countMarks(svg, 'image mark'), 6);
    for (const s of ['noise', 'blur', 'clean', '1', '2', 'severity']) assert.ok(texts(svg).includes(s), s);
    assert.throws(
      () => corruptionGrid([{ corruption: 'noise', images: [image(0)] }], { severities: [1, 2] }),
      /Error in corruptionGrid: rows\[0\]\.images must have one image per severity \(2\), but got 1/,
    );
  });

  it('compileSpec rejects a spec vega-lite warns about', async function () {
    await assert.rejects(
      compileSpec({
        data: { values: [] },
        mark: 'point',
        encoding: { x: { field: 'a', type: 'quantitative' }, strokeWidth: { field: 'b', type: 'nominal' } },
      }),
      /Error in compileSpec: vega-lite warned: Channel strokeWidth should not be used with an unsorted discrete field/,
    );
  });
});
