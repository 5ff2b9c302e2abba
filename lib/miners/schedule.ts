/**
 * A curriculum of miners: easy tuples first, harder ones later (random → semi-hard → hard). Hard
 * negatives from step 0 can collapse a fresh embedding (FaceNet, Schroff et al. 2015); once the
 * classes are roughly apart, the hardest negatives are the informative ones. The schedule counts
 * its own `mine` calls (the training loop mines once per step), so the stage follows the step.
 */
import * as tf from '../tf';
import type { LabelsLike, Miner, MinerResult } from '../types';
import { checkNumber, fail } from '../validate';

/** One stage: a miner, used for `steps` calls (omit `steps` on the last stage: it runs to the end). */
export interface MinerStage {
  miner: Miner;
  steps?: number;
}

export interface MinerScheduleOptions {
  stages: readonly MinerStage[];
}

/** A miner that hands each call to the miner of the current stage. */
export class MinerSchedule implements Miner {
  readonly name: string;
  private calls = 0;

  constructor(private readonly stages: readonly MinerStage[]) {
    this.name = `schedule(${stages.map((s) => s.miner.name).join(' → ')})`;
  }

  /** Calls so far: the step the next call mines for. */
  get step(): number {
    return this.calls;
  }

  /** Index of the stage that mines at `step` (default: the next call's). */
  stageAt(step: number = this.calls): number {
    let end = 0;
    for (let k = 0; k < this.stages.length - 1; k++) {
      end += this.stages[k].steps as number;
      if (step < end) return k;
    }
    return this.stages.length - 1;
  }

  /** The step each stage after the first starts at, e.g. [40, 100] for stages of 40, 60 and ∞ steps. */
  boundaries(): number[] {
    const out: number[] = [];
    let end = 0;
    for (let k = 0; k < this.stages.length - 1; k++) out.push((end += this.stages[k].steps as number));
    return out;
  }

  mine(embeddings: tf.Tensor2D, labels: LabelsLike): MinerResult {
    const result = this.stages[this.stageAt()].miner.mine(embeddings, labels);
    this.calls++;
    return result;
  }

  /** Back to step 0 (to reuse the schedule for another run). */
  reset(): void {
    this.calls = 0;
  }
}

/**
 * Switches miners by step: each stage's miner mines for its `steps` calls, then the next takes over.
 *
 * @example
 * const curriculum = miners.schedule({
 *   stages: [
 *     { miner: miners.randomTriplets({ seed: 1 }), steps: 50 },
 *     { miner: miners.semiHard(), steps: 100 },
 *     { miner: miners.batchHard() }, // from step 150 to the end
 *   ],
 * });
 * await trainWithValidation({
 *   model, loss: losses.tripletMargin({ margin: 0.2 }), miner: curriculum, train: d.train, validation: d.validation,
 *   steps: 300, evalEvery: 50, classesPerBatch: 5, samplesPerClass: 8, seed: 1,
 * });
 */
export function schedule(options: MinerScheduleOptions): MinerSchedule {
  const fn = 'minerSchedule';
  const stages = options?.stages;
  if (!Array.isArray(stages) || stages.length === 0) fail(fn, 'stages', 'be a non-empty array', stages);
  stages.forEach((s: MinerStage, k: number) => {
    if (!s || typeof s.miner?.mine !== 'function') fail(fn, `stages[${k}].miner`, 'be a Miner', s?.miner);
    if (k < stages.length - 1) checkNumber(fn, `stages[${k}].steps`, s.steps, { min: 1, integer: true });
    else if (s.steps !== undefined)
      fail(fn, `stages[${k}].steps`, 'be omitted on the last stage (it runs to the end)', s.steps);
  });
  return new MinerSchedule(stages);
}
