/** Text pieces shared by the terminal bar, the per-epoch lines and the notebook display. */
import type { EpochRecord, History } from '../types';
import type { ProgressStart, ProgressStep } from './reporter';

/** 75 s → '1:15', 3725 s → '1:02:05'. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

/** Running rate and ETA for the whole run. */
export function rateAndEta(start: ProgressStart, step: ProgressStep, elapsedMs: number): { rate: number; eta: number } {
  const rate = elapsedMs > 0 ? (step.stepsDone * 1000) / elapsedMs : 0;
  const remaining = start.epochs * start.stepsPerEpoch - step.stepsDone;
  return { rate, eta: rate > 0 ? remaining / rate : NaN };
}

/** 'epoch 2/5 [#####.....] 12/24 loss 0.1234 8.1 steps/s ETA 0:42' */
export function stepLine(start: ProgressStart, step: ProgressStep, elapsedMs: number, width = 20): string {
  const { rate, eta } = rateAndEta(start, step, elapsedMs);
  const filled = Math.round((width * step.stepInEpoch) / Math.max(1, start.stepsPerEpoch));
  const bar = '#'.repeat(filled) + '.'.repeat(Math.max(0, width - filled));
  return (
    `epoch ${step.epoch + 1}/${start.epochs} [${bar}] ${step.stepInEpoch}/${start.stepsPerEpoch} ` +
    `loss ${formatNumber(step.loss)} ${rate.toFixed(1)} steps/s ETA ${formatDuration(eta)}`
  );
}

/** 'epoch 2/5 loss 0.1234 active 0.31 recallAt1 0.8120 (3.2 s)' */
export function epochLine(record: EpochRecord, epochs: number): string {
  const parts = [`epoch ${record.epoch + 1}/${epochs}`, `loss ${formatNumber(record.loss)}`];
  if (Number.isFinite(record.fractionActive)) parts.push(`active ${record.fractionActive.toFixed(2)}`);
  for (const [k, v] of Object.entries(record.metrics ?? {})) parts.push(`${k} ${formatNumber(v)}`);
  parts.push(`(${record.seconds.toFixed(1)} s)`);
  return parts.join(' ');
}

/** The closing line: where it stopped and why. */
export function endLine(history: History): string {
  const last = history.epochs[history.epochs.length - 1];
  const base = `trained ${history.epochs.length} epochs, ${last?.steps ?? 0} steps in ${formatDuration(history.seconds)}`;
  return history.stopReason ? `${base}; ${history.stopReason}` : base;
}
