import * as assert from 'assert';
import { MinHeap } from '../../lib/linalg/heap';
import { TopK } from '../../lib/linalg/topk';
import { Random } from '../../lib/random';

describe('linalg: top-k and the heap', () => {
  it('TopK keeps the k smallest, ties by index', () => {
    const t = new TopK(3);
    [5, 1, 3, 1, 0, 3, 9].forEach((s, i) => t.push(s, i));
    const r = t.sorted();
    assert.deepStrictEqual(Array.from(r.indices), [4, 1, 3]);
  });
  it('MinHeap pops in (score, index) order, matching a plain sort, across growth and refills', () => {
    const rng = new Random(2);
    const heap = new MinHeap();
    const ref: [number, number][] = [];
    const popped: number[] = [];
    const expected: number[] = [];
    for (let round = 0; round < 3; round++) {
      // Few distinct scores, so ties by index are exercised; 150 entries outgrow the initial 64.
      for (let i = 0; i < 150; i++) {
        const entry: [number, number] = [rng.int(10), round * 1000 + rng.int(1000)];
        heap.push(entry[0], entry[1]);
        ref.push(entry);
      }
      ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (let i = 0; i < 100; i++) {
        assert.strictEqual(heap.peekScore(), ref[0][0]);
        expected.push((ref.shift() as [number, number])[1]);
        popped.push(heap.pop());
      }
    }
    assert.deepStrictEqual(popped, expected);
    assert.strictEqual(heap.size, 150);
    heap.clear();
    assert.strictEqual(heap.pop(), -1);
    assert.strictEqual(heap.peekScore(), Infinity);
  });
});
