import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectNoLeak } from '../helpers/backends';
import { miners } from '../../lib/miners';
import { distances } from '../../lib/distances';
import { randomEmbeddings } from '../losses/helpers';
import { labels, line, raw, triplets } from './line';
import { isTripletIndices, type LabelsLike, type Miner, type MinerResult } from '../../lib/types';

/** A miner that records which call it served and returns no tuples. */
function recorder(name: string, log: string[]): Miner {
  return {
    name,
    mine: (_e: tf.Tensor2D, _l: LabelsLike): MinerResult => {
      log.push(name);
      return { a: new Int32Array(0), p: new Int32Array(0), n: new Int32Array(0), stats: { mined: 0, candidates: 0 } };
    },
  };
}

describeAllBackends('miners for noisy labels and curricula', () => {
  it('skipHardestNegatives: batchHard and semiHard ignore each anchor’s closest negatives (hand-derived)', () => {
    const e = line();
    // Each anchor has 2 negatives: a fraction 0.5 drops the closer one, 0.4 drops none (floor).
    const skipped = ['0,1,3', '1,0,3', '2,3,0', '3,2,0'];
    assert.deepEqual(triplets(miners.batchHard({ distance: raw, skipHardestNegatives: 0.5 }).mine(e, labels)), skipped);
    assert.deepEqual(
      triplets(miners.batchHard({ distance: raw, skipHardestNegatives: 0.4 }).mine(e, labels)),
      triplets(miners.batchHard({ distance: raw }).mine(e, labels)),
    );
    // semi-hard among the kept negatives: (2,3) has none farther than 3.5 → the farthest kept, 0.
    const semi = expectNoLeak(() => miners.semiHard({ distance: raw, skipHardestNegatives: 0.5 }).mine(e, labels));
    assert.deepEqual(triplets(semi), skipped);
    e.dispose();
  });

  it('skipHardestNegatives follows the distance’s direction (cosine: closest = largest similarity)', () => {
    const e = tf.tensor2d([
      [1, 0],
      [0.9, 0.1],
      [0.8, 0.6],
      [0, 1],
      [-1, 0.2],
    ]);
    const y = [0, 0, 1, 1, 1];
    const cos = distances.cosine();
    // Anchor 0's negatives by similarity: 2 (0.8), 3 (0), 4 (-0.98): skipping a third drops 2 → hardest kept is 3.
    const m = miners.batchHard({ distance: cos, skipHardestNegatives: 1 / 3 }).mine(e, y);
    if (!isTripletIndices(m)) throw new Error('triplets expected');
    assert.equal(m.n[0], 3);
    e.dispose();
  });

  it('skipHardestNegatives outside [0, 1) throws naming the miner and the option', () => {
    assert.throws(
      () => miners.batchHard({ skipHardestNegatives: 1 }),
      /Error in batchHard: skipHardestNegatives must be below 1/,
    );
    assert.throws(
      () => miners.semiHard({ skipHardestNegatives: -0.1 }),
      /Error in semiHard: skipHardestNegatives must be >= 0/,
    );
  });

  it('randomTriplets: seeded, one valid triplet per anchor, no leak', () => {
    const e = randomEmbeddings(24, 8, 4);
    const y = Array.from({ length: 24 }, (_, i) => i % 4);
    const a = expectNoLeak(() => miners.randomTriplets({ seed: 3 }).mine(e, y));
    const b = miners.randomTriplets({ seed: 3 }).mine(e, y);
    const c = miners.randomTriplets({ seed: 4 }).mine(e, y);
    if (!isTripletIndices(a)) throw new Error('triplets expected');
    assert.equal(a.a.length, 24);
    a.a.forEach((anchor, k) => {
      assert.equal(y[a.p[k]], y[anchor]);
      assert.notEqual(a.p[k], anchor);
      assert.notEqual(y[a.n[k]], y[anchor]);
    });
    assert.deepEqual(triplets(a), triplets(b));
    assert.notDeepEqual(triplets(a), triplets(c));
    e.dispose();
  });

  it('schedule switches miners by step and names its stages', () => {
    const log: string[] = [];
    const s = miners.schedule({
      stages: [
        { miner: recorder('first', log), steps: 2 },
        { miner: recorder('second', log), steps: 1 },
        { miner: recorder('last', log) },
      ],
    });
    const e = line();
    for (let i = 0; i < 5; i++) s.mine(e, labels);
    assert.deepEqual(log, ['first', 'first', 'second', 'last', 'last']);
    assert.equal(s.name, 'schedule(first → second → last)');
    assert.deepEqual(s.boundaries(), [2, 3]);
    assert.deepEqual(
      [0, 1, 2, 3, 99].map((t) => s.stageAt(t)),
      [0, 0, 1, 2, 2],
    );
    assert.equal(s.step, 5);
    s.reset();
    s.mine(e, labels);
    assert.equal(log[log.length - 1], 'first');
    e.dispose();
  });

  it('schedule rejects stages without steps before the last, and steps on the last', () => {
    const m = miners.batchHard();
    assert.throws(
      () => miners.schedule({ stages: [{ miner: m }, { miner: m }] }),
      /Error in minerSchedule: stages\[0\]\.steps must be a finite number/,
    );
    assert.throws(
      () => miners.schedule({ stages: [{ miner: m, steps: 3 }] }),
      /stages\[0\]\.steps must be omitted on the last stage/,
    );
    assert.throws(() => miners.schedule({ stages: [] }), /Error in minerSchedule: stages must be a non-empty array/);
  });

  it('smallLoss keeps the triplets (or anchors) of smallest loss relu(d_ap - d_an + margin), no leak', () => {
    const e = line();
    const all = miners.tripletMargin({ type: 'all', margin: 10, distance: raw });
    // Losses with margin 1 (miner order): (0,1,2) .5, (0,1,3) 0, (1,0,2) 1.5, (1,0,3) 0, (2,3,0) 3, (2,3,1) 4, (3,2,0) 0, (3,2,1) .5
    const byTriplet = expectNoLeak(() =>
      miners.smallLoss({ miner: all, keep: 0.5, margin: 1, distance: raw }).mine(e, labels),
    );
    assert.deepEqual(triplets(byTriplet), ['0,1,2', '0,1,3', '1,0,3', '3,2,0']); // tie at .5: the earlier one
    assert.deepEqual(byTriplet.stats, { mined: 4, candidates: 8 });
    // Anchors by mean loss: 0 → .25, 1 → .75, 2 → 3.5, 3 → .25: keep anchors 0 and 3 with all their triplets.
    const byAnchor = miners
      .smallLoss({ miner: all, keep: 0.5, margin: 1, distance: raw, by: 'anchor' })
      .mine(e, labels);
    assert.deepEqual(triplets(byAnchor), ['0,1,2', '0,1,3', '3,2,0', '3,2,1']);
    e.dispose();
  });

  it('smallLoss ramps the kept fraction from 1 down to keep over rampSteps', () => {
    const e = line();
    const all = miners.tripletMargin({ type: 'all', margin: 10, distance: raw });
    const m = miners.smallLoss({ miner: all, keep: 0.5, margin: 1, distance: raw, rampSteps: 2 });
    assert.deepEqual(
      [0, 1, 2].map(() => m.mine(e, labels).stats.mined),
      [8, 6, 4],
    );
    e.dispose();
  });

  it('smallLoss validates its options and needs a triplet miner', () => {
    assert.throws(
      () => miners.smallLoss({ miner: miners.batchHard(), keep: 0 }),
      /Error in smallLoss: keep must be > 0 and <= 1/,
    );
    assert.throws(
      () => miners.smallLoss({ miner: miners.batchHard(), keep: 0.5, by: 'pair' as 'anchor' }),
      /Error in smallLoss: by must be one of 'triplet', 'anchor'/,
    );
    const e = line();
    assert.throws(
      () => miners.smallLoss({ miner: miners.pairMargin(), keep: 0.5 }).mine(e, labels),
      /smallLoss: miner must mine triplets/,
    );
    e.dispose();
  });
});
