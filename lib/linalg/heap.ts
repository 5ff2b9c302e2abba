/**
 * Binary-heap moves on parallel (score, index) arrays, shared by TopK (a bounded max-heap: the
 * worst kept result on top) and MinHeap (the candidate queue of graph search: the best on top).
 * `sign` 1 puts larger pairs on top, -1 smaller ones; ties between equal scores break by index
 * in the same direction, so both heaps are deterministic.
 */

/** Whether (scoreA, indexA) belongs above (scoreB, indexB). */
function above(sign: number, scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
  return scoreA === scoreB ? sign * (indexA - indexB) > 0 : sign * (scoreA - scoreB) > 0;
}

/**
 * Places (score, index) at slot `c` (a free slot at the bottom) and moves it up to its place.
 *
 * @example
 * const [scores, indices] = [new Float64Array(4), new Int32Array(4)]; // room for 4
 * let size = 0;
 * siftUp(scores, indices, size++, 0.3, 7, 1); // push (0.3, item 7) onto a max-heap of `size` entries
 */
export function siftUp(s: Float64Array, ix: Int32Array, c: number, score: number, index: number, sign: 1 | -1): void {
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (!above(sign, score, index, s[p], ix[p])) break;
    s[c] = s[p];
    ix[c] = ix[p];
    c = p;
  }
  s[c] = score;
  ix[c] = index;
}

/**
 * Places (score, index) at the root of a heap of `n` entries and moves it down to its place.
 *
 * @example
 * const [scores, indices] = [Float64Array.from([0.9, 0.5]), Int32Array.from([3, 4])]; // a max-heap of 2
 * siftDown(scores, indices, 2, 0.3, 7, 1); // replaces its top (0.9, 3): scores [0.5, 0.3], indices [4, 7]
 */
export function siftDown(s: Float64Array, ix: Int32Array, n: number, score: number, index: number, sign: 1 | -1): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= n) break;
    const r = l + 1;
    const w = r < n && above(sign, s[r], ix[r], s[l], ix[l]) ? r : l;
    if (!above(sign, s[w], ix[w], score, index)) break;
    s[c] = s[w];
    ix[c] = ix[w];
    c = w;
  }
  s[c] = score;
  ix[c] = index;
}

/**
 * An unbounded min-heap of (score, index) pairs, ties by the smaller index.
 *
 * @example
 * const heap = new MinHeap();
 * heap.push(0.5, 3); heap.push(0.1, 7);
 * heap.peekScore(); // 0.1
 * heap.pop();       // 7
 */
export class MinHeap {
  private scores = new Float64Array(64);
  private indices = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  /** The smallest score (Infinity when empty). */
  peekScore(): number {
    return this.size > 0 ? this.scores[0] : Infinity;
  }

  push(score: number, index: number): void {
    if (this.size === this.scores.length) {
      const s = new Float64Array(this.size * 2);
      const ix = new Int32Array(this.size * 2);
      s.set(this.scores);
      ix.set(this.indices);
      this.scores = s;
      this.indices = ix;
    }
    siftUp(this.scores, this.indices, this.size++, score, index, -1);
  }

  /** Removes the smallest entry and returns its index (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.indices[0];
    const n = --this.size;
    if (n > 0) siftDown(this.scores, this.indices, n, this.scores[n], this.indices[n], -1);
    return top;
  }
}
