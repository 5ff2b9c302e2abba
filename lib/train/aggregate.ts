/** Per-epoch summaries of step records. */
import type { EpochRecord, StepRecord } from './types';

/** Mean of the finite values; NaN when there are none (a mean distance no step defined). */
export function finiteMean(values: readonly (number | undefined)[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

/**
 * Summarises one epoch's steps.
 *
 * @example
 * const stats = { terms: 10, activeTerms: 5, fractionActive: 0.5, meanPositiveDistance: 0.4, meanNegativeDistance: 0.9 };
 * const steps = [{ step: 0, epoch: 0, loss: 0.3, ...stats }, { step: 1, epoch: 0, loss: 0.1, ...stats }];
 * summarizeEpoch(0, steps, 12.5); // { epoch: 0, loss: 0.2 (the mean of the steps' losses), ... }
 */
export function summarizeEpoch(epoch: number, steps: readonly StepRecord[], seconds: number): EpochRecord {
  const record: EpochRecord = {
    epoch,
    steps: steps.length === 0 ? 0 : steps[steps.length - 1].step + 1,
    loss: finiteMean(steps.map((s) => s.loss)),
    fractionActive: finiteMean(steps.map((s) => s.fractionActive)),
    meanPositiveDistance: finiteMean(steps.map((s) => s.meanPositiveDistance)),
    meanNegativeDistance: finiteMean(steps.map((s) => s.meanNegativeDistance)),
    seconds,
  };
  if (steps.some((s) => s.mined !== undefined)) record.mined = finiteMean(steps.map((s) => s.mined));
  return record;
}

/**
 * Epoch records flattened for plots and tables: metrics become top-level fields.
 *
 * @example
 * trainingCurves([{ name: 'triplet', points: epochPoints(history) }], { x: 'epoch' });
 */
export function epochPoints(history: { epochs: readonly EpochRecord[] }): Record<string, number>[] {
  return history.epochs.map(({ metrics, ...rest }) => {
    const point: Record<string, number> = {};
    for (const [k, v] of Object.entries(rest)) if (typeof v === 'number') point[k] = v;
    return { ...point, ...(metrics ?? {}) };
  });
}
