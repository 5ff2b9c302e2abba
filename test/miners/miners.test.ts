import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectNoLeak } from '../helpers/backends';
import { miners } from '../../lib/miners';
import { distances } from '../../lib/distances';
import { randomEmbeddings } from '../losses/helpers';
import { labels, line, raw, triplets } from './line';

describeAllBackends('miners', () => {
  it('batchHard: farthest positive, closest negative (hand-derived), no leak', () => {
    const e = line();
    const m = expectNoLeak(() => miners.batchHard({ distance: raw }).mine(e, labels));
    assert.deepEqual(triplets(m), ['0,1,2', '1,0,2', '2,3,1', '3,2,1']);
    assert.deepEqual(m.stats, { mined: 4, candidates: 8 });
    e.dispose();
  });

  it('tripletMargin types split the valid triplets by m = d_an - d_ap', () => {
    const e = line();
    const sets = Object.fromEntries(
      (['all', 'hard', 'semihard', 'easy'] as const).map((type) => [
        type,
        triplets(miners.tripletMargin({ margin: 1, type, distance: raw }).mine(e, labels)),
      ]),
    );
    // m: (0,1,2)=0.5 (0,1,3)=4 (1,0,2)=-0.5 (1,0,3)=3 (2,3,0)=-2 (2,3,1)=-3 (3,2,0)=1.5 (3,2,1)=0.5
    assert.deepEqual(sets.hard, ['1,0,2', '2,3,0', '2,3,1']);
    assert.deepEqual(sets.semihard, ['0,1,2', '3,2,1']);
    assert.deepEqual(sets.all, [...sets.hard, ...sets.semihard].sort());
    assert.deepEqual(sets.easy, ['0,1,3', '1,0,3', '3,2,0']);
    e.dispose();
  });

  it('a mistyped miner type throws instead of acting like "all"', () => {
    assert.throws(
      () => miners.tripletMargin({ type: 'semi-hard' as 'semihard' }),
      (err: Error) =>
        err.message ===
        `Error in tripletMarginMiner: type must be one of 'all', 'hard', 'semihard', 'easy', but got "semi-hard"`,
    );
  });

  it('semiHard (FaceNet/tfa): closest negative farther than the positive, else the farthest', () => {
    const e = line();
    const m = miners.semiHard({ distance: raw }).mine(e, labels);
    // (0,1): d_ap 1, negatives at 1.5, 5 → 2 ; (1,0): 1, negatives 0.5, 4 → 3 ;
    // (2,3): 3.5, negatives 1.5, 0.5 → none farther → farthest 0 ; (3,2): 3.5, negatives 5, 4 → 1
    assert.deepEqual(triplets(m), ['0,1,2', '1,0,3', '2,3,0', '3,2,1']);
    e.dispose();
  });

  it('pairMargin, multiSimilarity and hardestNegativePairs on the line', () => {
    const e = line();
    const pm = miners.pairMargin({ posMargin: 2, negMargin: 1, distance: raw }).mine(e, labels);
    const pairs = (a: Int32Array, b: Int32Array): string[] => Array.from(a, (x, k) => `${x},${b[k]}`).sort();
    if (!('a1' in pm)) throw new Error('pairs expected');
    assert.deepEqual(pairs(pm.a1, pm.p), ['2,3', '3,2']);
    assert.deepEqual(pairs(pm.a2, pm.n), ['1,2', '2,1']);
    const hn = miners.hardestNegativePairs({ distance: raw }).mine(e, labels);
    if (!('a1' in hn)) throw new Error('pairs expected');
    assert.deepEqual(pairs(hn.a2, hn.n), ['0,2', '1,2', '2,1', '3,1']);
    // multiSimilarity with euclidean, ε = 0.6: keep positive if d_ap + ε > closest negative, ...
    const ms = miners.multiSimilarity({ epsilon: 0.6, distance: raw }).mine(e, labels);
    if (!('a1' in ms)) throw new Error('pairs expected');
    assert.deepEqual(pairs(ms.a1, ms.p), ['0,1', '1,0', '2,3', '3,2']);
    assert.deepEqual(pairs(ms.a2, ms.n), ['0,2', '1,2', '2,0', '2,1', '3,1']);
    e.dispose();
  });

  it('distanceWeighted: seeded, one negative per positive pair, only negatives under the cutoff', () => {
    const e = randomEmbeddings(24, 8, 4);
    const lab = Array.from({ length: 24 }, (_, i) => i % 4);
    const a = miners.distanceWeighted({ seed: 7 }).mine(e, lab) as { a: Int32Array; p: Int32Array; n: Int32Array };
    const b = miners.distanceWeighted({ seed: 7 }).mine(e, lab) as { a: Int32Array; p: Int32Array; n: Int32Array };
    const c = miners.distanceWeighted({ seed: 8 }).mine(e, lab) as { a: Int32Array; p: Int32Array; n: Int32Array };
    assert.deepEqual(Array.from(a.n), Array.from(b.n));
    assert.notDeepEqual(Array.from(a.n), Array.from(c.n));
    assert.equal(a.a.length, 24 * 5);
    const d = tf.tidy(() => distances.euclidean().pairwise(e).arraySync());
    for (let k = 0; k < a.a.length; k++) {
      assert.notEqual(lab[a.a[k]], lab[a.n[k]]);
      assert.ok(d[a.a[k]][a.n[k]] < 1.4);
    }
    e.dispose();
  });

  it('every miner: the batch as its own reference (own slots excluded) mines what the batch does', () => {
    const e = randomEmbeddings(12, 4, 6);
    const lab = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
    const all = [
      miners.batchHard(),
      miners.tripletMargin({ type: 'semihard' }),
      miners.semiHard(),
      miners.distanceWeighted({ seed: 3 }),
      miners.multiSimilarity(),
      miners.pairMargin(),
      miners.hardestNegativePairs(),
    ];
    for (const miner of all) {
      const plain = miner.mine(e, lab);
      const ref = miner.mine(e, lab, { embeddings: e, labels: lab, selfIndex: lab.map((_, i) => i) });
      if (miner.name === 'distanceWeighted') {
        // Seeded draws continue the stream: compare the structure, not the draws.
        assert.deepEqual(ref.stats, plain.stats);
        continue;
      }
      assert.deepEqual(ref, plain, miner.name);
    }
    e.dispose();
  });

  it('anchors against a reference: indices p, n point into the reference; the own slot is skipped', () => {
    // Anchors 0 (class 0) and 1.5 (class 1); reference: 0 (a copy of anchor 0), 1 (class 0), 1.2 and 5 (class 1).
    const anchors = tf.tensor2d([[0], [1.5]]);
    const reference = { embeddings: tf.tensor2d([[0], [1], [1.2], [5]]), labels: [0, 0, 1, 1], selfIndex: [0, -1] };
    const m = expectNoLeak(() => miners.batchHard({ distance: raw }).mine(anchors, [0, 1], reference));
    // anchor 0: positives {1} (slot 0 is itself), negatives 1.2, 5 → (0, 1, 2);
    // anchor 1: positives 1.2, 5 → farthest 3; negatives 0, 1 → closest 1 → (1, 3, 1)
    assert.deepEqual(triplets(m), ['0,1,2', '1,3,1']);
    assert.deepEqual(m.stats, { mined: 2, candidates: 1 * 2 + 2 * 2 });
    tf.dispose([anchors, reference.embeddings]);
  });
});
