/**
 * Corruption examples: one row per corruption, one column per severity, so a reader sees what
 * "gaussian noise, severity 3" actually looks like before reading its Recall@1.
 */
import { fail } from '../validate';
import { imageGrid, type GridCell, type ImageGridOptions } from './image-grid';
import type { ImageLike } from './png-encode';
import { checkNonEmpty, type TopLevelSpec } from './spec';

/** One corruption and its images, one per severity (same order as `severities`). */
export interface CorruptionRow {
  corruption: string;
  images: readonly ImageLike[];
}

export interface CorruptionGridOptions extends ImageGridOptions {
  /** Column labels (default '1', '2', ...). A clean column can be labelled '0' or 'clean'. */
  severities?: readonly (string | number)[];
}

/**
 * Builds the corruption x severity grid.
 *
 * @example
 * const clean = new Float32Array(784).fill(0.5); // one 28×28 image
 * const [s1, s2, s3] = [1, 2, 3].map((s) => corruptPixels(clean, [1, 28, 28], 'gaussian_noise', s, 0));
 * const spec = corruptionGrid(
 *   [{ corruption: 'gaussian noise', images: [clean, s1, s2, s3] }],
 *   { severities: ['clean', 1, 2, 3] },
 * );
 */
export function corruptionGrid(rows: readonly CorruptionRow[], options: CorruptionGridOptions = {}): TopLevelSpec {
  const fn = 'corruptionGrid';
  checkNonEmpty<CorruptionRow>(fn, 'rows', rows);
  const cells: GridCell[] = [];
  rows.forEach((r, i) => {
    if (typeof r?.corruption !== 'string') fail(fn, `rows[${i}].corruption`, 'be a string', r?.corruption);
    const labels = options.severities ?? r.images.map((_, j) => j + 1);
    if (r.images.length !== labels.length) {
      fail(fn, `rows[${i}].images`, `have one image per severity (${labels.length})`, r.images.length);
    }
    r.images.forEach((image, j) => cells.push({ row: r.corruption, col: String(labels[j]), image }));
  });
  return imageGrid(cells, { colTitle: 'severity', ...options });
}
