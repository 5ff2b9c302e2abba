/**
 * What datasets are available here, where from, how big: reads only the label files, so it is
 * fast even for the full 60k sets. Used by `metriclab data`.
 */
import * as fs from 'fs';
import { DATASET_NAMES, type DatasetName } from './datasets';
import { readIdx } from './idx';
import { locateDataset, type FilePart } from './locate';

/** One split of one dataset as found on disk. */
export interface SplitSummary {
  split: 'train' | 'test';
  /** Directory used, or null when no searched directory has it. */
  source: string | null;
  origin: string | null;
  count: number;
  /** Samples per class label 0..C-1. */
  perClass: number[];
  /** Bytes of the image and label files. */
  bytes: number;
  /** An error reading the files, if any. */
  error?: string;
}

export interface DatasetSummary {
  name: DatasetName;
  splits: SplitSummary[];
}

function summarizeSplit(name: DatasetName, split: 'train' | 'test'): SplitSummary {
  const part: FilePart = split === 'train' ? 'train' : 't10k';
  const loc = locateDataset(name, [part]);
  const files = loc?.files[part];
  if (!loc || !files) return { split, source: null, origin: null, count: 0, perClass: [], bytes: 0 };
  const bytes = fs.statSync(files.images).size + fs.statSync(files.labels).size;
  const base = { split, source: loc.dir, origin: loc.origin, bytes };
  try {
    const labels = readIdx(files.labels).data;
    const perClass: number[] = [];
    for (const c of labels) perClass[c] = (perClass[c] ?? 0) + 1;
    return { ...base, count: labels.length, perClass: Array.from(perClass, (v) => v ?? 0) };
  } catch (e) {
    return { ...base, count: 0, perClass: [], error: (e as Error).message };
  }
}

/**
 * Summarises every built-in dataset in the search order's first directory that has it.
 *
 * @example
 * for (const d of summarizeDatasets()) console.log(d.name, d.splits.map((s) => s.count));
 */
export function summarizeDatasets(): DatasetSummary[] {
  return DATASET_NAMES.map((name) => ({
    name,
    splits: [summarizeSplit(name, 'train'), summarizeSplit(name, 'test')],
  }));
}
