/**
 * Retrieval at a glance: each row is a query image followed by its top-K neighbours, framed blue
 * when the neighbour shares the query's class and red when it does not.
 */
import { fail } from '../validate';
import { imageGrid, type GridCell, type ImageGridOptions } from './image-grid';
import type { ImageLike } from './png-encode';
import { checkNonEmpty, type TopLevelSpec } from './spec';

/** A labelled image. */
export interface LabelledImage {
  image: ImageLike;
  label: number;
}

/** One query and its neighbours, nearest first. */
export interface NeighborRow {
  query: LabelledImage;
  neighbors: readonly LabelledImage[];
}

export interface NeighborGridOptions extends ImageGridOptions {
  /** Names per class id for the captions (default: the id). */
  classNames?: readonly string[];
}

/**
 * Builds a query / top-K neighbour grid with wrong neighbours marked in red.
 *
 * @example
 * const pixels = testImages.arraySync(); // one 784-value row per image
 * const spec = neighborGrid(
 *   [{ query: { image: pixels[0], label: 3 }, neighbors: [{ image: pixels[7], label: 3 }] }],
 *   { classNames: FASHION_MNIST_CLASS_NAMES, title: 'Nearest neighbour' },
 * );
 */
export function neighborGrid(rows: readonly NeighborRow[], options: NeighborGridOptions = {}): TopLevelSpec {
  const fn = 'neighborGrid';
  checkNonEmpty<NeighborRow>(fn, 'rows', rows);
  const name = (c: number): string => options.classNames?.[c] ?? String(c);
  const cells: GridCell[] = [];
  rows.forEach((r, i) => {
    if (!r?.query || !Array.isArray(r.neighbors)) {
      fail(fn, `rows[${i}]`, 'be { query, neighbors: [...] }', JSON.stringify(Object.keys(r ?? {})));
    }
    const row = `query ${i + 1}`;
    cells.push({ row, col: 'query', image: r.query.image, frame: 'query', caption: name(r.query.label) });
    r.neighbors.forEach((n, j) => {
      cells.push({
        row,
        col: String(j + 1),
        image: n.image,
        frame: n.label === r.query.label ? 'correct' : 'wrong',
        caption: name(n.label),
      });
    });
  });
  return imageGrid(cells, { colTitle: 'neighbour rank', ...options });
}
