import { siftDown, siftUp } from './heap';

/**
 * Partial selection of the k smallest scores of a row, ties broken by the smaller index.
 *
 * A bounded max-heap keyed on (score, index): each candidate is compared with the heap's worst
 * entry and most are rejected by that one comparison, so a row of n costs about n comparisons
 * plus k·log k·log(n/k) heap moves instead of an n·log n sort. bench/eval/topk.ts measures it
 * against tf.topk on wasm.
 *
 * @example
 * const top = new TopK(2);
 * [0.5, 0.1, 0.1, 0.9].forEach((s, i) => top.push(s, i));
 * top.sorted(); // { scores: [0.1, 0.1], indices: [1, 2] }
 */
export class TopK {
  readonly scores: Float64Array;
  readonly indices: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.indices = new Int32Array(k);
  }

  reset(): void {
    this.size = 0;
  }

  /** Offers one candidate (smaller score = better). */
  push(score: number, index: number): void {
    const s = this.scores;
    const ix = this.indices;
    if (this.size < this.k) {
      // Parents hold worse (larger) entries: the root is the worst kept.
      siftUp(s, ix, this.size++, score, index, 1);
      return;
    }
    if (this.k === 0 || score > s[0] || (score === s[0] && index > ix[0])) return;
    // Replace the root (the worst kept) and sift down.
    siftDown(s, ix, this.size, score, index, 1);
  }

  /**
   * The score a candidate must beat to enter when the heap is full (Infinity until then). A scan
   * can skip `score >= worst()` itself: a tie with the worst kept loses to it on index whenever
   * candidates come in increasing index order.
   */
  worst(): number {
    return this.size < this.k ? Infinity : this.scores[0];
  }

  /** Writes the kept entries best-first into the given arrays (length >= size); returns size. */
  drainSorted(scoresOut: Float64Array | Float32Array, indicesOut: Int32Array, offset = 0): number {
    // Heap sort: the root is the worst kept, so popping it fills the output from the back.
    const n = this.size;
    const s = this.scores;
    const ix = this.indices;
    for (let last = n - 1; last >= 0; last--) {
      scoresOut[offset + last] = s[0];
      indicesOut[offset + last] = ix[0];
      if (last > 0) siftDown(s, ix, last, s[last], ix[last], 1);
    }
    this.size = 0;
    return n;
  }

  /** The kept entries best-first, as new arrays (clears the heap). */
  sorted(): { scores: Float64Array; indices: Int32Array } {
    const scores = new Float64Array(this.size);
    const indices = new Int32Array(this.size);
    this.drainSorted(scores, indices);
    return { scores, indices };
  }
}
