import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';
import { losses, loadMemory, saveMemory, type BaseMetricLoss, type CrossBatchMemory } from '../../lib/losses';
import type { Reference } from '../../lib/losses/reference';
import { miners } from '../../lib/miners';
import { distances } from '../../lib/distances';
import { Random } from '../../lib/random';
import { isTripletIndices, type MetricLoss } from '../../lib/types';
import { gradientError, lossValue, randomEmbeddings } from './helpers';

const D = 4;
const MEMORY = 10;
/** Four batches of 4 (16 rows > 10 slots, so the ring wraps), labels from 3 classes. */
const BATCHES = [0, 1, 2, 3].map((b) => ({
  seed: 40 + b,
  labels: [0, 1, 2, 3].map((i) => (b * 4 + i * 5) % 3),
}));
const batch = (b: number): tf.Tensor2D => randomEmbeddings(4, D, BATCHES[b].seed);

/** Plain-loop contrastive (hinge, margins 0 / 1, each side averaged over its non-zero terms). */
function referenceContrastive(
  anchors: number[][],
  anchorLabels: number[],
  memory: number[][],
  memoryLabels: number[],
  self: number[],
): number {
  const unit = (v: number[]): number[] => v.map((x) => x / Math.hypot(...v));
  const dist = (a: number[], b: number[]): number => Math.hypot(...unit(a).map((x, k) => x - unit(b)[k]));
  const pos: number[] = [];
  const neg: number[] = [];
  anchors.forEach((a, i) =>
    memory.forEach((m, j) => {
      if (j === self[i]) return;
      const d = dist(a, m);
      if (anchorLabels[i] === memoryLabels[j]) pos.push(d);
      else neg.push(Math.max(0, 1 - d));
    }),
  );
  const meanNonZero = (v: number[]): number => {
    const nz = v.filter((x) => x > 0);
    return nz.length ? nz.reduce((s, x) => s + x, 0) / nz.length : 0;
  };
  return meanNonZero(pos) + meanNonZero(neg);
}

/** A loss that computes against a fixed reference (for finite differences: the memory is constant). */
function againstReference(loss: BaseMetricLoss, reference: Reference): MetricLoss {
  return {
    name: `${loss.name} vs reference`,
    trainableWeights: () => loss.trainableWeights(),
    compute: (e, labels, mined) => loss.compute(e, labels, mined, reference),
  };
}

const PAIR_LOSSES: [string, () => BaseMetricLoss][] = [
  ['contrastive', () => losses.contrastive({ posMargin: 0.1, negMargin: 1.8 })],
  // margin 1 keeps every triplet active: no hinge kink within the finite-difference step
  ['tripletMargin', () => losses.tripletMargin({ margin: 1 })],
  ['tripletMargin swap', () => losses.tripletMargin({ margin: 1, swap: true, distance: distances.euclidean() })],
  ['multiSimilarity', () => losses.multiSimilarity({ beta: 5 })],
  ['circle', () => losses.circle({ m: 0.4, gamma: 4 })],
  ['liftedStructure', () => losses.liftedStructure()],
  ['supCon', () => losses.supCon({ temperature: 0.5 })],
  ['ntXent', () => losses.ntXent({ temperature: 0.5 })],
  ['marginLoss', () => losses.marginLoss({ beta: 1, margin: 0.5 })],
  ['nPairs', () => losses.nPairs()],
];

describeAllBackends('crossBatchMemory', () => {
  it('matches a plain-loop reference over batches that wrap the ring, own slots excluded', () => {
    const xbm = losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: D, memorySize: MEMORY });
    const slots: number[][] = Array.from({ length: MEMORY }, () => []);
    const slotLabels: number[] = new Array(MEMORY).fill(0);
    let filled = 0;
    let position = 0;
    for (let b = 0; b < BATCHES.length; b++) {
      const e = batch(b);
      const rows = e.arraySync();
      const labels = BATCHES[b].labels;
      const self = rows.map((_, i) => (position + i) % MEMORY);
      rows.forEach((r, i) => {
        slots[self[i]] = r;
        slotLabels[self[i]] = labels[i];
      });
      position = (position + rows.length) % MEMORY;
      filled = Math.min(MEMORY, filled + rows.length);
      const { got, terms } = tf.tidy(() => {
        const r = xbm.compute(e, labels);
        return { got: r.loss.dataSync()[0], terms: r.stats.terms };
      });
      const want = referenceContrastive(rows, labels, slots.slice(0, filled), slotLabels.slice(0, filled), self);
      assert.ok(Math.abs(got - want) < 1e-5, `batch ${b}: ${got} vs reference ${want}`);
      assert.equal(terms, rows.length * (filled - 1), `batch ${b}: every (anchor, slot) pair but the own slot`);
      assert.equal(xbm.size, filled);
      e.dispose();
    }
    const state = xbm.state();
    assert.equal(state.position, 16 % MEMORY);
    assert.deepEqual(Array.from(state.labels), slotLabels);
    expectClose(state.embeddings, slots.flat(), 1e-6, 0, 'ring contents');
    xbm.dispose();
  });

  it('the gradient reaches the anchors only and equals the loss against the (constant) memory', () => {
    const xbm = losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: D, memorySize: MEMORY });
    for (const b of [0, 1]) {
      const e = batch(b);
      lossValue(xbm, e, BATCHES[b].labels);
      e.dispose();
    }
    const before = xbm.state();
    const e = batch(2);
    const labels = BATCHES[2].labels;
    const got = expectNoLeak(() =>
      tf.tidy(() =>
        tf
          .grad((x: tf.Tensor) => xbm.compute(x as tf.Tensor2D, labels).loss)(e)
          .dataSync(),
      ),
    );
    // The same step by hand: the memory after writing batch 2 (slots 8, 9, 0, 1), as a constant.
    const after = xbm.state();
    const memory = tf.tensor2d(after.embeddings, [after.filled, D]);
    const reference = { embeddings: memory, labels: after.labels, selfIndex: [8, 9, 0, 1] };
    const want = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => losses.contrastive().compute(x as tf.Tensor2D, labels, undefined, reference).loss)(e)
        .dataSync(),
    );
    expectClose(got, want, 1e-6, 1e-5, 'gradient');
    assert.ok(
      got.some((g) => Math.abs(g) > 1e-3),
      'the anchors get a gradient',
    );
    assert.equal(before.filled, 8);
    tf.dispose([e, memory]);
    xbm.dispose();
  });

  for (const [name, make] of PAIR_LOSSES) {
    it(`${name} against a reference: analytic gradient matches central differences, no leak`, () => {
      const loss = make();
      const e = randomEmbeddings(6, 4, 11);
      const memory = randomEmbeddings(9, 4, 12);
      // Anchors 0 and 3 have copies of themselves in rows 2 and 7 (excluded from their pairs).
      const reference = { embeddings: memory, labels: [0, 1, 2, 0, 1, 2, 0, 1, 2], selfIndex: [2, -1, -1, 7, -1, -1] };
      const wrapped = againstReference(loss, reference);
      const labels = [0, 0, 1, 1, 2, 2];
      try {
        // Circle's gradient treats its weights α as constants by design (see gradients.test.ts).
        const err = name === 'circle' ? 0 : gradientError(wrapped, e, labels);
        assert.ok(err < 2e-2, `${name}: gradient error ${err}`);
        expectNoLeak(() =>
          tf.tidy(() => void tf.grad((x: tf.Tensor) => wrapped.compute(x as tf.Tensor2D, labels).loss)(e)),
        );
      } finally {
        tf.dispose([e, memory, ...loss.trainableWeights()]);
      }
    });

    it(`${name}: the batch as its own reference gives the batch loss`, () => {
      const loss = make();
      const e = randomEmbeddings(8, 4, 5);
      const labels = [0, 0, 1, 1, 2, 2, 0, 1];
      const self = againstReference(loss, { embeddings: e, labels, selfIndex: labels.map((_, i) => i) });
      assert.ok(Math.abs(lossValue(self, e, labels) - lossValue(loss, e, labels)) < 1e-5);
      tf.dispose([e, ...loss.trainableWeights()]);
    });
  }

  it('a miner mines against the memory: anchors from the batch, candidates from the ring, no own slot', () => {
    const xbm = losses.crossBatchMemory({
      loss: losses.tripletMargin({ margin: 0.2 }),
      miner: miners.batchHard(),
      embeddingSize: D,
      memorySize: MEMORY,
    });
    for (let b = 0; b < 3; b++) {
      const e = batch(b);
      lossValue(xbm, e, BATCHES[b].labels);
      e.dispose();
    }
    const state = xbm.state();
    const memory = tf.tensor2d(state.embeddings, [state.filled, D]);
    const e = batch(3);
    const labels = BATCHES[3].labels;
    const selfIndex = [2, 3, 4, 5]; // batch 3 goes into slots 2..5
    lossValue(xbm, e, labels);
    const after = xbm.state();
    const ring = tf.tensor2d(after.embeddings, [after.filled, D]);
    const mined = miners.batchHard().mine(e, labels, { embeddings: ring, labels: after.labels, selfIndex });
    if (!isTripletIndices(mined)) throw new Error('triplets expected');
    assert.ok(mined.a.length > 0);
    for (let k = 0; k < mined.a.length; k++) {
      assert.notEqual(mined.p[k], selfIndex[mined.a[k]], 'never the anchor itself');
      assert.equal(after.labels[mined.p[k]], labels[mined.a[k]]);
      assert.notEqual(after.labels[mined.n[k]], labels[mined.a[k]]);
    }
    tf.dispose([memory, ring, e]);
    xbm.dispose();
  });

  it('enqueueMask: marked rows only go into the memory; the rest are anchors with no slot excluded', () => {
    const loss = losses.contrastive();
    const xbm = losses.crossBatchMemory({ loss, embeddingSize: D, memorySize: MEMORY });
    const e = randomEmbeddings(6, D, 9);
    const labels = [0, 1, 2, 0, 1, 2];
    const enqueueMask = [false, false, false, true, true, true];
    const got = tf.tidy(() => xbm.compute(e, labels, undefined, { enqueueMask }).loss.dataSync()[0]);
    assert.equal(xbm.size, 3);
    const [queries, keys] = tf.split(e, 2);
    const want = lossValue(
      againstReference(loss, { embeddings: keys as tf.Tensor2D, labels: [0, 1, 2] }),
      queries as tf.Tensor2D,
      [0, 1, 2],
    );
    assert.ok(Math.abs(got - want) < 1e-6, `${got} vs ${want}`);
    assert.throws(
      () => xbm.compute(e, labels, undefined, { enqueueMask: [true, false] }),
      /Error in crossBatchMemory: enqueueMask must have one entry per embedding \(6\), but got 2/,
    );
    tf.dispose([e, queries, keys]);
    xbm.dispose();
  });

  it('startAfterSteps: the batch alone during warm-up, memory untouched; then the memory', () => {
    const loss = losses.multiSimilarity();
    const xbm = losses.crossBatchMemory({ loss, embeddingSize: D, memorySize: MEMORY, startAfterSteps: 2 });
    for (const b of [0, 1]) {
      const e = batch(b);
      assert.equal(xbm.active, false);
      assert.ok(Math.abs(lossValue(xbm, e, BATCHES[b].labels) - lossValue(loss, e, BATCHES[b].labels)) < 1e-6);
      assert.equal(xbm.size, 0);
      e.dispose();
    }
    assert.equal(xbm.active, true);
    const e = batch(2);
    lossValue(xbm, e, BATCHES[2].labels);
    assert.equal(xbm.size, 4);
    e.dispose();
    xbm.reset();
    assert.deepEqual([xbm.size, xbm.active], [0, false]);
    xbm.dispose();
  });

  it('reset() gives a fresh memory; state() / restore() and saveMemory / loadMemory resume exactly', async () => {
    const make = (): CrossBatchMemory =>
      losses.crossBatchMemory({ loss: losses.tripletMargin(), embeddingSize: D, memorySize: MEMORY });
    const run = (xbm: CrossBatchMemory, from: number, to: number): number[] => {
      const out: number[] = [];
      for (let b = from; b < to; b++) {
        const e = batch(b);
        out.push(lossValue(xbm, e, BATCHES[b].labels));
        e.dispose();
      }
      return out;
    };
    const a = make();
    const full = run(a, 0, 4);
    a.reset();
    expectClose(run(a, 0, 4), full, 1e-7, 0, 'after reset');
    a.reset();
    run(a, 0, 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xbm-'));
    try {
      await saveMemory(a, dir);
      const b = make();
      await loadMemory(b, dir);
      const c = make();
      c.restore(a.state());
      expectClose([...run(b, 3, 4), ...run(c, 3, 4)], [full[3], full[3]], 1e-7, 0, 'resumed');
      assert.throws(
        () =>
          losses
            .crossBatchMemory({ loss: losses.tripletMargin(), embeddingSize: D, memorySize: 12 })
            .restore(a.state()),
        /Error in crossBatchMemory.restore: state.memorySize must be 12, but got 10/,
      );
      [b, c].forEach((x) => x.dispose());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      a.dispose();
    }
  });

  it('a step leaves no tensor behind; the memory is one tensor, freed by dispose()', () => {
    const before = tf.memory().numTensors;
    const xbm = losses.crossBatchMemory({ loss: losses.supCon(), embeddingSize: D, memorySize: MEMORY });
    assert.equal(tf.memory().numTensors, before + 1);
    const e = batch(0);
    for (let k = 0; k < 4; k++) expectNoLeak(() => lossValue(xbm, e, BATCHES[0].labels));
    expectNoLeak(() => xbm.state());
    e.dispose();
    xbm.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('clear errors: proxy loss, mined tuples, wrong size, a batch larger than the memory', () => {
    assert.throws(
      () => losses.crossBatchMemory({ loss: losses.proxyNCA({ numClasses: 3, embeddingSize: D }), embeddingSize: D }),
      /Error in crossBatchMemory: loss must be a pair or triplet loss of lib\/losses/,
    );
    const xbm = losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: D, memorySize: 3 });
    const e = batch(0);
    const mined = { a: Int32Array.from([0]), p: Int32Array.from([1]), n: Int32Array.from([2]) };
    assert.throws(() => xbm.compute(e, BATCHES[0].labels, mined), /Error in crossBatchMemory: mined must be omitted/);
    assert.throws(
      () => xbm.compute(e, BATCHES[0].labels),
      /Error in crossBatchMemory: embeddings must have at most memorySize \(3\) rows, but got 4/,
    );
    assert.equal(xbm.size, 0, 'a refused call changes nothing');
    const wide = randomEmbeddings(2, D + 1, 1);
    assert.throws(() => xbm.compute(wide, [0, 1]), /embeddings must have 4 columns, but got a tensor of shape \[2,5\]/);
    assert.throws(
      () => losses.contrastive().compute(e, BATCHES[0].labels, undefined, { embeddings: wide, labels: [0, 1] }),
      /Error in contrastive: reference.embeddings must have the embeddings' size 4/,
    );
    tf.dispose([e, wide]);
    xbm.dispose();
  });
});

describe('crossBatchMemory with a seeded random stream of batches', () => {
  it('the ring always holds the last memorySize rows written, in FIFO order', () => {
    const rng = new Random(3);
    const xbm = losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: 2, memorySize: 7 });
    const written: { row: number[]; label: number }[] = [];
    for (let step = 0; step < 6; step++) {
      const n = 2 + Math.floor(rng.uniform() * 4);
      const rows = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
      const labels = rows.map(() => Math.floor(rng.uniform() * 3));
      const e = tf.tensor2d(rows);
      lossValue(xbm, e, labels);
      e.dispose();
      rows.forEach((row, i) => written.push({ row, label: labels[i] }));
      const s = xbm.state();
      const last = written.slice(-7);
      // Slot (k mod 7) holds the k-th row ever written.
      const start = written.length - last.length;
      last.forEach((w, k) => {
        const slot = (start + k) % 7;
        assert.equal(s.labels[slot], w.label);
        expectClose(s.embeddings.subarray(slot * 2, slot * 2 + 2), w.row, 1e-6, 0, `slot ${slot}`);
      });
    }
    xbm.dispose();
  });
});
