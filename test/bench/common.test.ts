import * as assert from 'assert';
import { formatRatio, formatSpan, renderTable, summarize, timeRepeats } from '../../bench/common';
import { treeMemory } from '../../bench/course/run';

describe('bench/common', function () {
  it('summarize gives min, median (mean of the middle two for even counts) and max', function () {
    assert.deepStrictEqual(summarize([3, 1, 2]), { min: 1, median: 2, max: 3, samples: [3, 1, 2] });
    assert.strictEqual(summarize([4, 1, 3, 2]).median, 2.5);
    assert.throws(() => summarize([]), /Error in summarize: samples must not be empty, but got 0 samples/);
  });

  it('formats spans in a unit and the median ratio', function () {
    assert.strictEqual(formatSpan(summarize([0.01, 0.012, 0.02]), 'ms'), '10.0 / 12.0 / 20.0 ms');
    assert.strictEqual(formatSpan(summarize([123.4, 0.5, 2]), 's'), '0.500 / 2.00 / 123 s');
    assert.strictEqual(formatRatio(summarize([2, 4, 6]), summarize([2])), '2.00×');
  });

  it('timeRepeats runs warm-ups untimed and times each repeat', async function () {
    let calls = 0;
    const t = await timeRepeats(
      () => {
        calls++;
      },
      { warmup: 2, repeats: 3 },
    );
    assert.strictEqual(calls, 5);
    assert.strictEqual(t.samples.length, 3);
    assert.ok(t.min <= t.median && t.median <= t.max);
  });

  it('renders a markdown table with notes', function () {
    const md = renderTable({ title: 'T', header: ['a', 'b'], rows: [['1', '2']], notes: ['n'] });
    assert.strictEqual(md, '### T\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n- n');
  });

  it('treeMemory counts this process and reads a plausible RSS', function () {
    const m = treeMemory(process.pid);
    assert.ok(m.processes >= 1, `processes ${m.processes}`);
    // Node with tsx loaded holds tens of MiB; /proc's RSS and process.memoryUsage agree within 2x.
    const rss = process.memoryUsage().rss;
    assert.ok(m.largest > rss / 2 && m.largest < rss * 2, `largest ${m.largest} vs rss ${rss}`);
    assert.ok(m.total >= m.largest);
  });
});
