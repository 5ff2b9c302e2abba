/**
 * Image grids as vega-lite specs: each image is a PNG data URL in an image mark placed on
 * ordinal row/column bands, with a rect mark drawing the frame (red for wrong neighbours).
 * Data URLs need no loader, so the grid renders the same in vega's headless view, in resvg and
 * in a browser.
 */
import { fail } from '../validate';
import { imageDataUrl, type ImageLike } from './png-encode';
import { BAD_COLOR, GOOD_COLOR, checkNonEmpty, topLevel, type PlotOptions, type TopLevelSpec } from './spec';

/** Frame styles: 'query' (dark), 'correct' (blue), 'wrong' (red, thicker), 'none'. */
export type CellFrame = 'query' | 'correct' | 'wrong' | 'none';

/** One grid cell. Rows and columns keep their first-seen order. */
export interface GridCell {
  row: string;
  col: string;
  image: ImageLike;
  frame?: CellFrame;
  /** Short text under the image (e.g. the class name). */
  caption?: string;
}

export interface ImageGridOptions extends PlotOptions {
  /** Cell size in pixels (default 64); the image fills 80% of it. */
  cellSize?: number;
  rowTitle?: string;
  colTitle?: string;
}

const FRAME_COLORS: Record<Exclude<CellFrame, 'none'>, string> = {
  query: '#333333',
  correct: GOOD_COLOR,
  wrong: BAD_COLOR,
};

/**
 * Builds a grid of grayscale images.
 *
 * @example
 * const [img0, img1] = [new Float32Array(784).fill(0.2), new Float32Array(784).fill(0.8)]; // 28×28 each
 * const spec = imageGrid([
 *   { row: 'q1', col: 'query', image: img0, frame: 'query' },
 *   { row: 'q1', col: '1', image: img1, frame: 'wrong', caption: 'shirt' },
 * ]);
 */
export function imageGrid(cells: readonly GridCell[], options: ImageGridOptions = {}): TopLevelSpec {
  const fn = 'imageGrid';
  checkNonEmpty<GridCell>(fn, 'cells', cells);
  const cellSize = options.cellSize ?? 64;
  const rows: string[] = [];
  const cols: string[] = [];
  const values = cells.map((c, i) => {
    if (typeof c?.row !== 'string' || typeof c.col !== 'string') {
      fail(fn, `cells[${i}]`, 'have string row and col keys', JSON.stringify([c?.row, c?.col]));
    }
    if (!rows.includes(c.row)) rows.push(c.row);
    if (!cols.includes(c.col)) cols.push(c.col);
    const frame = c.frame ?? 'none';
    if (frame !== 'none' && !(frame in FRAME_COLORS)) {
      fail(fn, `cells[${i}].frame`, "be one of 'query', 'correct', 'wrong', 'none'", frame);
    }
    return {
      row: c.row,
      col: c.col,
      url: imageDataUrl(c.image, 2, fn, `cells[${i}].image`),
      frame,
      frameWidth: frame === 'wrong' ? 3.5 : 2,
      caption: c.caption ?? '',
    };
  });
  const hasCaptions = values.some((v) => v.caption !== '');
  const rowStep = cellSize + (hasCaptions ? 14 : 0);
  const x = {
    field: 'col',
    type: 'ordinal',
    sort: cols,
    title: options.colTitle ?? null,
    axis: { orient: 'top', labelAngle: 0, ticks: false, domain: false },
  };
  const y = {
    field: 'row',
    type: 'ordinal',
    sort: rows,
    title: options.rowTitle ?? null,
    axis: { ticks: false, domain: false },
  };
  const imageSize = Math.round(cellSize * 0.8);
  const framed = values.filter((v) => v.frame !== 'none');
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'image', width: imageSize, height: imageSize, yOffset: hasCaptions ? -6 : 0 },
      encoding: { x, y, url: { field: 'url', type: 'nominal' } },
    },
  ];
  if (framed.length > 0) {
    const half = imageSize / 2 + 2;
    layers.push({
      transform: [{ filter: "datum.frame !== 'none'" }],
      mark: {
        type: 'square',
        size: (2 * half) ** 2,
        filled: false,
        opacity: 1,
        yOffset: hasCaptions ? -6 : 0,
      },
      encoding: {
        x,
        y,
        color: {
          field: 'frame',
          type: 'nominal',
          legend: null,
          scale: { domain: Object.keys(FRAME_COLORS), range: Object.values(FRAME_COLORS) },
        },
        // Pixel widths straight from the data: a scale would interpolate them.
        strokeWidth: { field: 'frameWidth', type: 'quantitative', scale: null, legend: null },
      },
    });
  }
  if (hasCaptions) {
    layers.push({
      mark: { type: 'text', fontSize: 10, yOffset: imageSize / 2 + 4, baseline: 'middle' },
      encoding: { x, y, text: { field: 'caption' } },
    });
  }
  return topLevel(
    {
      data: { values },
      layer: layers,
      width: { step: cellSize },
      height: { step: rowStep },
      config: { axis: { grid: false, labelFontSize: 11, labelPadding: 4 } },
    },
    { title: options.title },
    false,
  );
}
