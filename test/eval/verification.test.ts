import * as assert from 'assert';
import { calibrate, verificationMetrics } from '../../lib/eval/verification';
import { expectClose } from '../helpers/backends';

describe('verification metrics', () => {
  it('ROC/AUC/EER on a hand case (distance)', () => {
    // distances: pos 0.1, 0.4; neg 0.35, 0.8. Pairs ranked pos>neg: (0.1 vs both) 2, (0.4 vs 0.8) 1, (0.4 vs 0.35) 0 -> AUC 3/4.
    const v = verificationMetrics([0.1, 0.4, 0.35, 0.8], [1, 1, 0, 0], 'distance');
    expectClose([v.auc, v.eer, v.bestAccuracy, v.tarAtFar1e2], [0.75, 0.5, 0.75, 0.5]);
    assert.deepStrictEqual(
      v.roc.map((p) => [p.far, p.tar]),
      [
        [0, 0],
        [0, 0.5],
        [0.5, 0.5],
        [0.5, 1],
        [1, 1],
      ],
    );
  });
  it('counts a tie between a positive and a negative as half', () => {
    const v = verificationMetrics([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0], 'similarity');
    // pairs (pos, neg): (0.9,0.5) 1, (0.9,0.1) 1, (0.5,0.5) tie 0.5, (0.5,0.1) 1
    expectClose([v.auc], [3.5 / 4]);
  });
  it('perfect separation gives AUC 1 and EER 0', () => {
    const v = verificationMetrics([0.9, 0.8, 0.2, 0.1], [true, true, false, false], 'similarity');
    expectClose([v.auc, v.eer, v.bestAccuracy, v.tarAtFar1e3], [1, 0, 1, 1]);
  });
  it('calibrate respects the direction and the FAR target', () => {
    const c = calibrate([0.1, 0.4, 0.35, 0.8], [1, 1, 0, 0], { direction: 'distance' });
    assert.strictEqual(c.threshold, 0.1);
    assert.ok(c.decide(0.05) && !c.decide(0.5));
    const s = calibrate([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], { direction: 'similarity', targetFar: 0 });
    assert.ok(s.decide(0.85) && !s.decide(0.3));
    expectClose([s.tar, s.far], [1, 0]);
  });
  it('rejects mismatched inputs', () => {
    assert.throws(
      () => verificationMetrics([1, 2], [1], 'distance'),
      /Error in verificationMetrics: same must have one entry per score \(2\), but got 1/,
    );
    assert.throws(() => verificationMetrics([1, 2], [1, 1], 'distance'), /contain both same and different pairs/);
  });
});
