/**
 * Mined pairs kept as a grid (lib/miners/pair-grid.ts): the index arrays are built on first read,
 * losses read the grid while nobody has read the arrays, and what a caller changes in the arrays
 * is what the loss sees.
 */
import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { losses } from '../../lib/losses';
import { pairWeights } from '../../lib/losses/masks';
import { miners } from '../../lib/miners';
import { KEEP_NEGATIVE, KEEP_POSITIVE, markedGrid, pairsFromMarks } from '../../lib/miners/pair-grid';
import { Random } from '../../lib/random';
import type { PairIndices } from '../../lib/types';

const clone = (p: PairIndices): PairIndices => ({ a1: p.a1.slice(), p: p.p.slice(), a2: p.a2.slice(), n: p.n.slice() });

/** Seeded normal embeddings [n, dim] with labels i % classes. */
function randomBatch(seed: number, n: number, dim: number, classes: number): { e: tf.Tensor2D; labels: number[] } {
  const rng = new Random(seed);
  const e = tf.tensor2d(
    Array.from({ length: n * dim }, () => rng.normal()),
    [n, dim],
  );
  return { e, labels: Array.from({ length: n }, (_, i) => i % classes) };
}

describe('mined pairs as a grid', () => {
  before(ready);

  it('builds a1, p, a2, n in row order on first read, counts the pairs at once, then forgets the grid', () => {
    // 2 x 3: row 0 keeps (0,1) positive and (0,2) negative; row 1 keeps (1,0) negative.
    const marks = Uint8Array.from([0, KEEP_POSITIVE, KEEP_NEGATIVE, KEEP_NEGATIVE, 0, 0]);
    const mined = pairsFromMarks(marks, 2, 3, 4);
    assert.deepEqual(mined.stats, { mined: 3, candidates: 4 });
    assert.equal(markedGrid(mined)?.marks, marks);
    assert.ok('a1' in mined && 'a2' in mined, 'a pair result by the isPairIndices test');
    const pairs = mined as PairIndices;
    assert.deepEqual([...pairs.a1], [0]);
    assert.deepEqual([...pairs.p], [1]);
    assert.deepEqual([...pairs.a2], [0, 1]);
    assert.deepEqual([...pairs.n], [2, 0]);
    assert.equal(markedGrid(mined), undefined, 'reading an index array must drop the grid');
    assert.equal(pairs.a2, pairs.a2, 'built once: the same array on every read');
    // Spreading (or JSON) reads the arrays too, so a copy is plain indices.
    assert.deepEqual(Object.keys({ ...mined }).sort(), ['a1', 'a2', 'n', 'p', 'stats']);
  });

  it('the weights from the grid equal the weights from its index arrays, for every pair miner kept that way', () => {
    const batch = randomBatch(3, 48, 8, 12);
    const [e, labels] = [batch.e, Int32Array.from(batch.labels)];
    for (const miner of [miners.multiSimilarity(), miners.pairMargin()]) {
      const mined = miner.mine(e, labels);
      assert.ok(markedGrid(mined), `${miner.name} keeps its grid`);
      const fromGrid = pairWeights(labels, undefined, mined);
      const indices = clone(mined as PairIndices);
      const fromIndices = pairWeights(labels, undefined, indices);
      assert.deepEqual(fromGrid, fromIndices, miner.name);
      // multiSimilarity counts while marking: its count must be the grid's.
      assert.equal(mined.stats.mined, indices.a1.length + indices.a2.length, `${miner.name}: mined count`);
      assert.ok(
        fromGrid.neg.some((w) => w > 0),
        `${miner.name}: a test with no kept pair would prove nothing`,
      );
    }
    e.dispose();
  });

  it('a loss sees the caller’s changes to the index arrays, and gives the same value as plain indices', () => {
    const n = 32;
    const { e, labels } = randomBatch(5, n, 8, 8);
    const loss = losses.multiSimilarity();
    const value = (m: Parameters<typeof loss.compute>[2]): number =>
      tf.tidy(() => loss.compute(e, labels, m).loss.dataSync()[0]);
    const mined = miners.multiSimilarity().mine(e, labels);
    const viaGrid = value(mined);
    const plain = clone(mined as PairIndices); // reads the arrays: the grid is gone now
    assert.equal(viaGrid, value(plain));
    // Keep only the first negative pair: the loss must use the edited arrays, not the old grid.
    const edited = mined as PairIndices;
    const trimmed = { a1: edited.a1, p: edited.p, a2: edited.a2.subarray(0, 1), n: edited.n.subarray(0, 1) };
    assert.notEqual(value(trimmed), viaGrid);
    edited.n[0] = (edited.n[0] + 1) % n;
    assert.equal(markedGrid(mined), undefined);
    assert.equal(value(mined), value(clone(edited)));
    e.dispose();
  });

  it('a loss refuses a grid mined from a batch of another size, naming the argument', () => {
    const { e: big, labels } = randomBatch(7, 16, 4, 4);
    const small = tf.slice(big, [0, 0], [8, 4]);
    const mined = miners.multiSimilarity().mine(big, labels);
    assert.throws(
      () => losses.multiSimilarity().compute(small, labels.slice(0, 8), mined),
      /multiSimilarity.*mined.*this batch \(8 anchors x 8 candidates\).*16 x 16/,
    );
    tf.dispose([big, small]);
  });

  it('mining and a loss on the grid leave no tensor behind', () => {
    const { e, labels } = randomBatch(9, 24, 4, 6);
    const before = tf.memory().numTensors;
    const mined = miners.multiSimilarity().mine(e, labels);
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => losses.multiSimilarity().compute(x as tf.Tensor2D, labels, mined).loss)(e);
    });
    assert.equal(tf.memory().numTensors, before);
    e.dispose();
  });
});
