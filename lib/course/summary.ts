/**
 * Results tables of the course: per probe and method, mean ± 95% interval over seeds, and the
 * paired difference against each baseline with the word its interval allows.
 */
import { comparePaired, meanInterval } from '../eval/compare';
import { fail } from '../validate';
import type { RetrievalRow, RetrievalScores } from './retrieval';

export type ScoreName = keyof RetrievalScores;

const LABELS: Record<ScoreName, string> = { recallAt1: 'R@1', mapAtR: 'MAP@R' };

/**
 * One metric of one method on one probe, ordered by seed (so two methods pair up seed by seed).
 *
 * @example
 * comparePaired(metricBySeed(rows, 'triplet', 'test', 'mapAtR'), metricBySeed(rows, 'pixels', 'test', 'mapAtR'));
 */
export function metricBySeed(
  rows: readonly RetrievalRow[],
  method: string,
  probe: string,
  metric: ScoreName,
): number[] {
  const picked = rows.filter((r) => r.method === method && r.probe === probe).sort((a, b) => a.seed - b.seed);
  if (picked.length === 0) fail('metricBySeed', 'method', `have rows on probe '${probe}'`, method);
  return picked.map((r) => r[metric]);
}

export interface SummaryOptions {
  /** Metrics shown as mean ± interval. Default ['recallAt1', 'mapAtR']. */
  metrics?: ScoreName[];
  /** Methods every other method is compared with (paired, on `compareOn`). Default ['pixels', 'untrained']. */
  baselines?: string[];
  /** The metric of the paired comparisons. Default 'mapAtR'. */
  compareOn?: ScoreName;
}

/**
 * Table rows (for showTable): probe, method, each metric as mean ± 95% half-width, and for
 * trained methods the paired difference from each baseline with its verdict.
 *
 * @example
 * showTable(summarizeRows(rows), { title: 'Retrieval, 3 seeds' });
 * // { probe: 'test', method: 'triplet', 'R@1': '0.861 ± 0.012', 'MAP@R': '0.512 ± 0.020', 'MAP@R vs pixels': '+0.082 ± 0.021 better', ... }
 */
export function summarizeRows(rows: readonly RetrievalRow[], options: SummaryOptions = {}): Record<string, string>[] {
  const metrics = options.metrics ?? ['recallAt1', 'mapAtR'];
  const baselines = options.baselines ?? ['pixels', 'untrained'];
  const on = options.compareOn ?? 'mapAtR';
  const probes = [...new Set(rows.map((r) => r.probe))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const out: Record<string, string>[] = [];
  for (const probe of probes) {
    for (const method of methods) {
      if (!rows.some((r) => r.method === method && r.probe === probe)) continue;
      const line: Record<string, string> = { probe, method };
      for (const m of metrics) line[LABELS[m]] = meanInterval(metricBySeed(rows, method, probe, m)).text;
      for (const b of baselines) {
        const key = `${LABELS[on]} vs ${b}`;
        if (
          method === b ||
          (baselines.includes(method) && baselines.indexOf(method) < baselines.indexOf(b)) ||
          !methods.includes(b)
        ) {
          line[key] = '';
          continue;
        }
        const c = comparePaired(metricBySeed(rows, method, probe, on), metricBySeed(rows, b, probe, on));
        line[key] = `${c.text} ${c.verdict}`;
      }
      out.push(line);
    }
  }
  return out;
}
