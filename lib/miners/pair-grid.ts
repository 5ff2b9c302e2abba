/**
 * Mined pairs kept as the miner's [N, M] grid of marks, with the index arrays built only when
 * someone reads them. Multi-similarity mining keeps about a million pairs at B = 1024: writing
 * them out as index arrays, and the loss checking them and scattering them back into an [N, M]
 * grid, took about 30 of the 80 ms of a mining + loss step. A library loss asks `markedGrid`
 * first and reads the grid in one pass; every other caller reads a1, p, a2, n as before.
 *
 * Once any index array has been read, the grid is forgotten: the caller may have changed the
 * arrays, and a loss must see what the caller sees.
 */
import type { MinedIndices, MinerResult, PairIndices } from '../types';

/** Marks of an [N, M] pair grid: 0 not kept. */
export const KEEP_POSITIVE = 1;
export const KEEP_NEGATIVE = 2;

/** The marks of a miner's result, row-major [n, m] (anchors × candidates). */
export interface MarkedGrid {
  marks: Uint8Array;
  n: number;
  m: number;
}

/** How many positive and negative pairs a grid marks. */
export interface MarkCounts {
  positives: number;
  negatives: number;
}

const gridOf = new WeakMap<object, MarkedGrid>();

/**
 * The pairs marked in an [N, M] grid, as a MinerResult whose a1, p, a2, n (in row order) are built
 * on first read. The result owns `marks`: the miner must not reuse that array. `counts`: how many
 * of each kind the grid marks, when the miner counted them while marking (they are counted here
 * otherwise).
 *
 * @example
 * const marks = Uint8Array.from([0, KEEP_POSITIVE, KEEP_NEGATIVE, 0]); // 2 x 2
 * const pairs = pairsFromMarks(marks, 2, 2, 2); // a1 [0], p [1]; a2 [1], n [0]
 * markedGrid(pairs); // { marks, n: 2, m: 2 }, until pairs.a1 (or p, a2, n) is read
 */
export function pairsFromMarks(
  marks: Uint8Array,
  n: number,
  m: number,
  candidates: number,
  counts: MarkCounts = countMarks(marks, n * m),
): MinerResult {
  const { positives, negatives } = counts;
  let indices: PairIndices | null = null;
  const read = (): PairIndices => {
    if (!indices) {
      indices = indexArrays(marks, n, m, positives, negatives);
      gridOf.delete(result);
    }
    return indices;
  };
  const result = { stats: { mined: positives + negatives, candidates } } as MinerResult;
  for (const key of ['a1', 'p', 'a2', 'n'] as const) {
    Object.defineProperty(result, key, { get: () => read()[key], enumerable: true });
  }
  gridOf.set(result, { marks, n, m });
  return result;
}

/**
 * How many pairs the grid keeps of each kind. A function of its own: as the last loop of
 * pairsFromMarks, V8 compiled it on the fly and threw the code away on reaching the rest, twice
 * per call (see losses/fused-pairs.ts).
 */
function countMarks(marks: Uint8Array, length: number): MarkCounts {
  let positives = 0;
  let negatives = 0;
  for (let e = 0; e < length; e++) {
    if (marks[e] === KEEP_POSITIVE) positives++;
    else if (marks[e] === KEEP_NEGATIVE) negatives++;
  }
  return { positives, negatives };
}

/**
 * The grid behind `mined` while none of its index arrays has been read; undefined otherwise, and
 * for indices that did not come from `pairsFromMarks`.
 *
 * @example
 * const mined = pairsFromMarks(Uint8Array.from([0, KEEP_NEGATIVE]), 1, 2, 1);
 * markedGrid(mined)?.marks; // [0, 2]
 * mined.n; // Int32Array [1]: reading an index array...
 * markedGrid(mined); // ...forgets the grid: undefined
 */
export function markedGrid(mined: MinedIndices): MarkedGrid | undefined {
  return gridOf.get(mined);
}

/**
 * Sets pos[e] = 1 where the grid keeps a positive pair and neg[e] = 1 where it keeps a negative
 * (both zero-filled, of grid.n * grid.m): the pair weights a loss builds from mined indices.
 *
 * @example
 * const grid = { marks: Uint8Array.from([KEEP_POSITIVE, KEEP_NEGATIVE]), n: 1, m: 2 };
 * const [pos, neg] = [new Float32Array(2), new Float32Array(2)];
 * fillPairWeights(grid, pos, neg); // pos [1, 0], neg [0, 1]
 */
export function fillPairWeights({ marks, n, m }: MarkedGrid, pos: Float32Array, neg: Float32Array): void {
  for (let e = 0; e < n * m; e++) {
    if (marks[e] === KEEP_POSITIVE) pos[e] = 1;
    else if (marks[e] === KEEP_NEGATIVE) neg[e] = 1;
  }
}

/** The marked pairs as index arrays of the exact size (counted first: no growth, no push). */
function indexArrays(marks: Uint8Array, n: number, m: number, positives: number, negatives: number): PairIndices {
  const out = {
    a1: new Int32Array(positives),
    p: new Int32Array(positives),
    a2: new Int32Array(negatives),
    n: new Int32Array(negatives),
  };
  let kp = 0;
  let kn = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const mark = marks[i * m + j];
      if (mark === KEEP_POSITIVE) {
        out.a1[kp] = i;
        out.p[kp++] = j;
      } else if (mark === KEEP_NEGATIVE) {
        out.a2[kn] = i;
        out.n[kn++] = j;
      }
    }
  }
  return out;
}
