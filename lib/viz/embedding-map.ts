/**
 * 2-D embedding maps: one dot per example, coloured by class; classes held out of training
 * ("unseen", the zero-shot retrieval setting) are drawn as hollow triangles so a reader sees at
 * once whether the embedding generalises to them.
 */
import { fail, labelsToArray } from '../validate';
import { topLevel, type PlotOptions, type TopLevelSpec } from './spec';

export interface EmbeddingMapInput {
  /** N points in 2-D (e.g. `pca(...).points` or `umap(...)`). */
  points: ReadonlyArray<ArrayLike<number>>;
  /** N integer class labels. */
  labels: ArrayLike<number>;
  /** Names per class id (default: the id as text). */
  classNames?: readonly string[];
  /** Class ids not seen in training; drawn hollow with another shape. */
  unseenClasses?: readonly number[];
}

export interface EmbeddingMapOptions extends PlotOptions {
  /** Axis titles (default 'dim 1', 'dim 2'). */
  xTitle?: string;
  yTitle?: string;
  /** Dot size in square pixels (default 30). */
  size?: number;
}

/**
 * Builds a scatter plot of projected embeddings.
 *
 * @example
 * const spec = embeddingMap(
 *   { points: [[0, 0], [1, 1], [5, 5]], labels: [0, 0, 7], classNames: FASHION_MNIST_CLASS_NAMES, unseenClasses: [7] },
 *   { title: 'Test embeddings (PCA)' },
 * );
 */
export function embeddingMap(input: EmbeddingMapInput, options: EmbeddingMapOptions = {}): TopLevelSpec {
  const fn = 'embeddingMap';
  const { points } = input;
  if (!Array.isArray(points) || points.length === 0) fail(fn, 'points', 'be a non-empty array of [x, y]', points);
  const labels = labelsToArray(fn, input.labels, points.length);
  const unseen = new Set(input.unseenClasses ?? []);
  const name = (c: number): string => input.classNames?.[c] ?? String(c);
  const values = points.map((p, i) => {
    if (!p || p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      fail(fn, `points[${i}]`, 'be two finite numbers', p ? Array.from(p).join(',') : p);
    }
    return { x: p[0], y: p[1], class: name(labels[i]), split: unseen.has(labels[i]) ? 'unseen' : 'seen' };
  });
  const classOrder = [...new Set(labels)].sort((a, b) => a - b).map(name);
  const hasUnseen = values.some((v) => v.split === 'unseen');
  const encoding: Record<string, unknown> = {
    x: { field: 'x', type: 'quantitative', title: options.xTitle ?? 'dim 1', scale: { zero: false } },
    y: { field: 'y', type: 'quantitative', title: options.yTitle ?? 'dim 2', scale: { zero: false } },
    color: {
      field: 'class',
      type: 'nominal',
      title: 'class',
      sort: classOrder,
      scale: { scheme: classOrder.length <= 10 ? 'category10' : 'tableau20' },
    },
  };
  if (hasUnseen) {
    // Filled marks have no outline by default; a class-coloured stroke keeps hollow ones visible.
    encoding.stroke = { ...(encoding.color as object), title: 'class' };
    encoding.shape = {
      field: 'split',
      type: 'nominal',
      title: 'classes',
      scale: { domain: ['seen', 'unseen'], range: ['circle', 'triangle-up'] },
    };
    encoding.fillOpacity = {
      field: 'split',
      type: 'ordinal',
      legend: null,
      scale: { domain: ['seen', 'unseen'], range: [0.7, 0] },
    };
  }
  return topLevel(
    {
      data: { values },
      mark: { type: 'point', filled: true, size: options.size ?? 30, opacity: 0.8, strokeWidth: 1.5 },
      encoding,
    },
    options,
  );
}
