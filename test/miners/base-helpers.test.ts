/**
 * The miners' shared JavaScript helpers (rewritten as plain loops in issue 16) against direct
 * definitions: every (anchor, candidate) visited with a closure, as they were written before.
 */
import { strict as assert } from 'assert';
import { distances, type Distance } from '../../lib/distances';
import { countTriplets, extremes, type MinerInput } from '../../lib/miners/base';
import { Random } from '../../lib/random';

function candidates(x: MinerInput, i: number): { j: number; positive: boolean }[] {
  const out: { j: number; positive: boolean }[] = [];
  for (let j = 0; j < x.m; j++) if (j !== x.self[i]) out.push({ j, positive: x.labels[i] === x.refLabels[j] });
  return out;
}

/** Farthest positive / closest negative, first one kept on ties (strict improvement only). */
function extremesByDefinition(x: MinerInput): { hardPos: number[]; hardNeg: number[] } {
  const hardPos: number[] = [];
  const hardNeg: number[] = [];
  for (let i = 0; i < x.n; i++) {
    let p = -1;
    let q = -1;
    for (const { j, positive } of candidates(x, i)) {
      const d = x.mat[i * x.m + j];
      if (positive && (p < 0 || x.distance.marginOf(d, x.mat[i * x.m + p]) > 0)) p = j;
      if (!positive && (q < 0 || x.distance.marginOf(x.mat[i * x.m + q], d) > 0)) q = j;
    }
    hardPos.push(p);
    hardNeg.push(q);
  }
  return { hardPos, hardNeg };
}

function tripletsByDefinition(x: MinerInput): number {
  let total = 0;
  for (let i = 0; i < x.n; i++) {
    const c = candidates(x, i);
    total += c.filter((v) => v.positive).length * c.filter((v) => !v.positive).length;
  }
  return total;
}

/** A random miner input: the batch as candidates, or a reference with some anchors' own slots. */
function randomInput(seed: number, distance: Distance, asReference: boolean): MinerInput {
  const rng = new Random(seed);
  const n = 12;
  const m = asReference ? 17 : n;
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * 4) - 1); // -1 is a label too
  const refLabels = asReference ? Int32Array.from({ length: m }, () => Math.floor(rng.uniform() * 4) - 1) : labels;
  const self = asReference
    ? Int32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : Math.floor(rng.uniform() * m)))
    : Int32Array.from({ length: n }, (_, i) => i);
  // Coarse values: ties are common, so the tie-breaking is compared too.
  const mat = Float32Array.from({ length: n * m }, () => Math.round(rng.uniform() * 8) / 4);
  return { mat, labels, n, refLabels, m, self, dim: 2, distance };
}

describe('miner helpers (plain loops)', () => {
  for (const [name, distance] of [
    ['euclidean', distances.euclidean()],
    ['cosine (larger is closer)', distances.cosine()],
  ] as const) {
    for (const asReference of [false, true]) {
      it(`extremes and countTriplets match their definitions: ${name}, ${asReference ? 'reference' : 'batch'}`, () => {
        for (let seed = 1; seed <= 30; seed++) {
          const x = randomInput(seed, distance, asReference);
          const got = extremes(x);
          const want = extremesByDefinition(x);
          assert.deepEqual([...got.hardPos], want.hardPos, `hardPos, seed ${seed}`);
          assert.deepEqual([...got.hardNeg], want.hardNeg, `hardNeg, seed ${seed}`);
          assert.equal(countTriplets(x), tripletsByDefinition(x), `triplets, seed ${seed}`);
        }
      });
    }
  }

  it('anchors without positives or negatives get -1 and count no triplet', () => {
    const x = randomInput(3, distances.euclidean(), false);
    x.labels.fill(0); // one class: no negatives anywhere
    assert.deepEqual([...extremes(x).hardNeg], new Array(x.n).fill(-1));
    assert.equal(countTriplets(x), 0);
  });
});
