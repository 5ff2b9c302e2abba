/**
 * Pair verification: scores of same/different pairs -> ROC, AUC, EER, TAR@FAR, best threshold.
 *
 * `direction` says which way a score points: 'distance' (smaller = match) or 'similarity'
 * (larger = match). Scores are ranked match-first; equal scores form one ROC step (one threshold
 * cannot split them), so AUC counts a tied positive/negative pair as half, as Mann-Whitney does.
 */
import { checkNumber, checkOneOf, fail } from '../validate';

export const SCORE_DIRECTIONS = ['distance', 'similarity'] as const;
export type ScoreDirection = (typeof SCORE_DIRECTIONS)[number];

export interface RocPoint {
  /** Pairs with score at least as match-like as this are accepted. */
  threshold: number;
  far: number;
  tar: number;
}

export interface VerificationMetrics {
  /** From (far 0, tar 0) to (1, 1), one point per distinct score. */
  roc: RocPoint[];
  auc: number;
  /** Equal error rate, interpolated where FAR = 1 - TAR. */
  eer: number;
  /** Highest TAR with FAR <= 1e-2 and <= 1e-3. */
  tarAtFar1e2: number;
  tarAtFar1e3: number;
  bestThreshold: number;
  bestAccuracy: number;
  positives: number;
  negatives: number;
}

export interface Calibration {
  threshold: number;
  direction: ScoreDirection;
  /** FAR and TAR of the threshold on the calibration pairs. */
  far: number;
  tar: number;
  accuracy: number;
  /** True when `score` is accepted as a match. */
  decide(score: number): boolean;
}

function checkPairs(fn: string, scores: ArrayLike<number>, same: ArrayLike<boolean | number>): void {
  if (!scores || typeof scores.length !== 'number') fail(fn, 'scores', 'be an array of numbers', typeof scores);
  if (!same || same.length !== scores.length)
    fail(fn, 'same', `have one entry per score (${scores.length})`, same?.length);
  for (let i = 0; i < scores.length; i++)
    if (!Number.isFinite(scores[i])) fail(fn, 'scores', 'be finite', `${scores[i]} at index ${i}`);
}

function rocCurve(fn: string, scores: ArrayLike<number>, same: ArrayLike<boolean | number>, direction: ScoreDirection) {
  checkPairs(fn, scores, same);
  const sign = direction === 'distance' ? -1 : 1;
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (x, y) => sign * (scores[y] - scores[x]) || x - y,
  );
  let P = 0;
  for (let i = 0; i < same.length; i++) if (same[i]) P++;
  const N = scores.length - P;
  if (P === 0 || N === 0) fail(fn, 'same', 'contain both same and different pairs', `${P} same, ${N} different`);
  const roc: RocPoint[] = [{ threshold: sign * Infinity, far: 0, tar: 0 }];
  const correct: number[] = [N];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (same[order[i]]) tp++;
    else fp++;
    const s = scores[order[i]];
    if (i + 1 < order.length && scores[order[i + 1]] === s) continue;
    roc.push({ threshold: s, far: fp / N, tar: tp / P });
    correct.push(tp + (N - fp));
  }
  return { roc, correct, P, N };
}

function tarAtFar(roc: RocPoint[], far: number): number {
  let best = 0;
  for (const p of roc) if (p.far <= far) best = Math.max(best, p.tar);
  return best;
}

/**
 * All verification metrics from pair scores.
 *
 * @example
 * const v = verificationMetrics([0.1, 0.4, 0.35, 0.8], [1, 1, 0, 0], 'distance');
 * v.auc; // 0.75
 */
export function verificationMetrics(
  scores: ArrayLike<number>,
  same: ArrayLike<boolean | number>,
  direction: ScoreDirection,
): VerificationMetrics {
  const fn = 'verificationMetrics';
  checkOneOf(fn, 'direction', direction, SCORE_DIRECTIONS);
  const { roc, correct, P, N } = rocCurve(fn, scores, same, direction);
  let auc = 0;
  let eer = NaN;
  for (let i = 1; i < roc.length; i++) {
    const a = roc[i - 1];
    const b = roc[i];
    auc += ((b.far - a.far) * (a.tar + b.tar)) / 2;
    // FAR - FNR goes from -1 to +1 along the curve; EER is where the segment crosses 0.
    const ga = a.far - (1 - a.tar);
    const gb = b.far - (1 - b.tar);
    if (Number.isNaN(eer) && ga <= 0 && gb >= 0) {
      const t = gb === ga ? 0 : -ga / (gb - ga);
      eer = a.far + t * (b.far - a.far);
    }
  }
  let best = 0;
  for (let i = 1; i < correct.length; i++) if (correct[i] > correct[best]) best = i;
  return {
    roc,
    auc,
    eer,
    tarAtFar1e2: tarAtFar(roc, 1e-2),
    tarAtFar1e3: tarAtFar(roc, 1e-3),
    bestThreshold: roc[best].threshold,
    bestAccuracy: correct[best] / (P + N),
    positives: P,
    negatives: N,
  };
}

/**
 * Picks a match threshold on calibration pairs: the highest TAR with FAR <= targetFar when given,
 * else the best accuracy; `decide` applies it in the right direction.
 *
 * @example
 * const c = calibrate([0.1, 0.4, 0.35, 0.8], [1, 1, 0, 0], { direction: 'distance' });
 * c.threshold; // 0.1 (accuracy 0.75)
 * c.decide(0.05); // true: a small distance is a match
 */
export function calibrate(
  scores: ArrayLike<number>,
  same: ArrayLike<boolean | number>,
  options: { direction: ScoreDirection; targetFar?: number },
): Calibration {
  const fn = 'calibrate';
  const direction = checkOneOf(fn, 'direction', options.direction, SCORE_DIRECTIONS);
  const { roc, correct, P, N } = rocCurve(fn, scores, same, direction);
  let pick = 0;
  if (options.targetFar !== undefined) {
    const target = checkNumber(fn, 'targetFar', options.targetFar, { min: 0, max: 1 });
    for (let i = 0; i < roc.length; i++) if (roc[i].far <= target && roc[i].tar > roc[pick].tar) pick = i;
  } else {
    for (let i = 1; i < correct.length; i++) if (correct[i] > correct[pick]) pick = i;
  }
  const { threshold, far, tar } = roc[pick];
  return {
    threshold,
    direction,
    far,
    tar,
    accuracy: correct[pick] / (P + N),
    decide: (score: number) => (direction === 'distance' ? score <= threshold : score >= threshold),
  };
}
