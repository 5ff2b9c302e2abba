import { strict as assert } from 'assert';
import { summarize } from '../../lib/eval/stats';

describe('summarize', () => {
  it('hand case: 0.81, 0.84, 0.83', () => {
    // mean 2.48 / 3; deviations -1/60, 1/75, 1/300 -> squares 1/3600 + 1/5625 + 1/90000 = 0.00046667; / (n - 1).
    const s = summarize([0.81, 0.84, 0.83]);
    assert.ok(Math.abs(s.mean - 2.48 / 3) < 1e-12, `mean ${s.mean}`);
    assert.ok(Math.abs(s.std - Math.sqrt(0.00046666666666666666 / 2)) < 1e-12, `std ${s.std}`);
    assert.deepEqual([s.min, s.max, s.n], [0.81, 0.84, 3]);
    // std 0.0153 -> two significant digits -> 3 decimals.
    assert.equal(s.text, '0.827 ± 0.015');
    assert.equal(summarize([0.81, 0.84, 0.83], { digits: 2 }).text, '0.83 ± 0.02');
  });

  it('integers: 1, 2, 4 (sample std sqrt(7/3)) and the digits follow the std', () => {
    // mean 7/3; squared deviations 16/9 + 1/9 + 25/9 = 42/9; / (n - 1) = 7/3; std 1.5275.
    const s = summarize([1, 2, 4]);
    assert.ok(Math.abs(s.std - Math.sqrt(7 / 3)) < 1e-12);
    assert.equal(s.text, '2.3 ± 1.5');
    // std 152.75 -> no decimals.
    assert.equal(summarize([100, 200, 400]).text, '233 ± 153');
  });

  it('one value: std NaN and just the mean; equal values: std 0', () => {
    const one = summarize([0.5]);
    assert.ok(Number.isNaN(one.std));
    assert.deepEqual([one.mean, one.min, one.max, one.n, one.text], [0.5, 0.5, 0.5, 1, '0.500']);
    assert.equal(summarize([2, 2]).text, '2.00 ± 0.00');
  });

  it('checks its input, naming it', () => {
    assert.throws(
      () => summarize([]),
      /Error in summarize: values must be a non-empty array of numbers, but got an empty array/,
    );
    assert.throws(() => summarize([1, NaN]), /Error in summarize: values\[1\] must be a finite number, but got NaN/);
    assert.throws(
      () => summarize([1, 2], { digits: 1.5 }),
      /Error in summarize: digits must be an integer, but got 1\.5/,
    );
  });
});
