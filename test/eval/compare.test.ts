import { strict as assert } from 'assert';
import { ClaimChecks, comparePaired, meanInterval } from '../../lib/eval/compare';
import { studentTCdf, studentTQuantile } from '../../lib/eval/student-t';

describe('Student t quantiles', () => {
  it('match the tabulated two-sided critical values (scipy.stats.t.ppf)', () => {
    const table: [number, number, number][] = [
      // [df, t(0.975), t(0.995)]
      [1, 12.706204736174694, 63.656741162871526],
      [2, 4.302652729749462, 9.924843200918287],
      [4, 2.7764451051977934, 4.604094871349992],
      [9, 2.262157162798205, 3.249835541592126],
      [29, 2.045229642132703, 2.756385903670605],
      [1000, 1.9623390808264083, 2.580754698065951],
    ];
    for (const [df, t975, t995] of table) {
      assert.ok(
        Math.abs(studentTQuantile(0.975, df) - t975) < 1e-8,
        `df ${df}: ${studentTQuantile(0.975, df)} vs ${t975}`,
      );
      assert.ok(
        Math.abs(studentTQuantile(0.995, df) - t995) < 1e-7,
        `df ${df}: ${studentTQuantile(0.995, df)} vs ${t995}`,
      );
    }
  });

  it('is symmetric, inverts the CDF, and has the Cauchy CDF at df = 1', () => {
    assert.equal(studentTQuantile(0.5, 3), 0);
    assert.ok(Math.abs(studentTQuantile(0.025, 5) + studentTQuantile(0.975, 5)) < 1e-10);
    assert.ok(Math.abs(studentTCdf(studentTQuantile(0.9, 7), 7) - 0.9) < 1e-10);
    // t with 1 degree of freedom is Cauchy: F(t) = 1/2 + atan(t)/pi.
    for (const t of [-3, -0.5, 0.2, 4]) assert.ok(Math.abs(studentTCdf(t, 1) - (0.5 + Math.atan(t) / Math.PI)) < 1e-12);
  });

  it('rejects p outside (0, 1) and df <= 0, naming the argument', () => {
    assert.throws(() => studentTQuantile(1, 3), /studentTQuantile: p must/);
    assert.throws(() => studentTQuantile(0, 3), /studentTQuantile: p must/);
    assert.throws(() => studentTQuantile(0.9, 0), /studentTQuantile: df must/);
  });
});

describe('meanInterval', () => {
  it('hand case: 0.81, 0.84, 0.83 gives mean ± t(0.975, 2) * sd / sqrt(3)', () => {
    const sd = Math.sqrt(0.00046666666666666666 / 2);
    const m = meanInterval([0.81, 0.84, 0.83]);
    assert.ok(Math.abs(m.halfWidth - (4.302652729749462 * sd) / Math.sqrt(3)) < 1e-9, `${m.halfWidth}`);
    assert.ok(Math.abs(m.low - (m.mean - m.halfWidth)) < 1e-15 && Math.abs(m.high - (m.mean + m.halfWidth)) < 1e-15);
    assert.equal(m.text, '0.827 ± 0.038');
    assert.equal(meanInterval([0.81, 0.84, 0.83], { level: 0.99, digits: 2 }).text, '0.83 ± 0.09');
  });

  it('one value: the mean, no interval', () => {
    const m = meanInterval([0.5]);
    assert.ok(Number.isNaN(m.low) && Number.isNaN(m.halfWidth));
    assert.equal(m.text, '0.500');
  });

  it('rejects empty input, non-numbers and a 100% level', () => {
    assert.throws(() => meanInterval([]), /meanInterval: values must be a non-empty array/);
    assert.throws(() => meanInterval([0.1, NaN]), /meanInterval: values\[1\]/);
    assert.throws(() => meanInterval([0.1, 0.2], { level: 1 }), /meanInterval: level must be below 1/);
  });
});

describe('comparePaired', () => {
  it('says better only when the interval of the differences excludes 0', () => {
    const better = comparePaired([0.84, 0.86, 0.85], [0.8, 0.83, 0.81]);
    // differences 0.04, 0.03, 0.04: mean 0.03667, sd 0.005774, half-width 4.3027 * sd / sqrt(3) = 0.01434.
    assert.ok(Math.abs(better.mean - 0.11 / 3) < 1e-12);
    assert.ok(Math.abs(better.halfWidth - (4.302652729749462 * Math.sqrt(1 / 30000)) / Math.sqrt(3)) < 1e-9);
    assert.equal(better.verdict, 'better');
    assert.equal(better.wins, 3);
    assert.equal(better.summary, '+0.037 [+0.022, +0.051] (95% CI over 3 seeds, ahead in 3/3): better');

    // Ahead in 2 of 3 seeds on average, but the interval straddles 0.
    const noisy = comparePaired([0.84, 0.8, 0.85], [0.8, 0.83, 0.81]);
    assert.equal(noisy.verdict, 'no detectable difference');
    assert.equal(noisy.wins, 2);

    assert.equal(comparePaired([0.8, 0.83, 0.81], [0.84, 0.86, 0.85]).verdict, 'worse');
  });

  it('for lower-is-better metrics a negative difference is better', () => {
    const c = comparePaired([0.1, 0.2, 0.1], [0.3, 0.4, 0.35], { higherIsBetter: false });
    assert.equal(c.verdict, 'better');
    assert.equal(c.wins, 3);
    assert.equal(comparePaired([0.3, 0.4, 0.35], [0.1, 0.2, 0.1], { higherIsBetter: false }).verdict, 'worse');
  });

  it('rejects unpaired or too short inputs', () => {
    assert.throws(
      () => comparePaired([0.1, 0.2], [0.1]),
      /comparePaired: b must have one value per seed of a \(2\), but got 1 values/,
    );
    assert.throws(() => comparePaired([0.1], [0.2]), /comparePaired: a must have at least 2 paired values/);
  });
});

describe('ClaimChecks', () => {
  it('strict: throws with the claim and the numbers; records the ones that hold', () => {
    const checks = new ClaimChecks({ strict: true });
    checks.verdict('a beats b', comparePaired([0.84, 0.86, 0.85], [0.8, 0.83, 0.81]), 'better');
    assert.throws(
      () => checks.verdict('a beats b again', comparePaired([0.84, 0.8, 0.85], [0.8, 0.83, 0.81]), 'better'),
      /Claim does not hold: a beats b again \(\+0\.017 \[-0\.084, \+0\.117\] .*: no detectable difference\)/,
    );
    assert.match(checks.report(), /^ok: a beats b \(\+0\.037/);
  });

  it('lenient (full profile): records a false claim and counts it', () => {
    const checks = new ClaimChecks({ strict: false });
    assert.equal(checks.that('x > 1', false, 'x = 0.5'), false);
    assert.equal(checks.that('y > 1', true, 'y = 2'), true);
    assert.equal(checks.failed, 1);
    assert.equal(checks.report(), 'DOES NOT HOLD: x > 1 (x = 0.5)\nok: y > 1 (y = 2)');
    assert.throws(() => new ClaimChecks({} as never), /ClaimChecks: options.strict must be a boolean/);
  });
});
