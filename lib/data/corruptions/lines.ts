/**
 * Occluding strokes, as MNIST-C's stripe, zigzag and dotted line: white anti-aliased lines
 * max-composited over the digit. The strokes of every severity are drawn from the same random
 * layout and a higher severity draws more of them, so damage only grows with severity.
 */
import type { Random } from '../../random';
import { drawSegment, type Gray } from './image-ops';
import type { CorruptionSpec } from './spec';

/** Copies src into out and returns a Gray over out, to draw on. */
function canvas(src: Gray, out: Float32Array): Gray {
  out.set(src.data);
  return { data: out, width: src.width, height: src.height };
}

/** Five random points on the border-to-border lines the strokes follow. */
function randomLines(rng: Random, w: number, h: number): [number, number, number, number][] {
  const lines: [number, number, number, number][] = [];
  for (let i = 0; i < 5; i++) {
    lines.push([rng.range(0, w - 1), rng.range(0, h - 1), rng.range(0, w - 1), rng.range(0, h - 1)]);
  }
  return lines;
}

export const LINES: Record<'stripe' | 'zigzag' | 'dotted_line', CorruptionSpec> = {
  stripe: {
    description: 'full-height or full-width white stripes (2 px) at random positions',
    parameter: 'number of stripes',
    levels: [1, 2, 3, 4, 5],
    apply: (src, out, count, rng) => {
      const img = canvas(src, out);
      for (let i = 0; i < 5; i++) {
        const vertical = rng.bernoulli(0.5);
        const pos = rng.range(2, (vertical ? src.width : src.height) - 3);
        if (i >= count) continue;
        if (vertical) drawSegment(img, pos, 0, pos, src.height - 1, 2);
        else drawSegment(img, 0, pos, src.width - 1, pos, 2);
      }
    },
  },
  zigzag: {
    description: 'a zigzag polyline (1.5 px) through random points; severity sets the number of segments',
    parameter: 'segments',
    levels: [2, 4, 6, 8, 10],
    apply: (src, out, segments, rng) => {
      const img = canvas(src, out);
      const pts: number[] = [];
      for (let i = 0; i <= 10; i++) pts.push(rng.range(0, src.width - 1), rng.range(0, src.height - 1));
      for (let s = 0; s < segments; s++)
        drawSegment(img, pts[2 * s], pts[2 * s + 1], pts[2 * s + 2], pts[2 * s + 3], 1.5);
    },
  },
  dotted_line: {
    description: 'dashed white lines (1.5 px, 2 px dashes) at random positions',
    parameter: 'number of lines',
    levels: [1, 2, 3, 4, 5],
    apply: (src, out, count, rng) => {
      const img = canvas(src, out);
      randomLines(rng, src.width, src.height)
        .slice(0, count)
        .forEach(([x0, y0, x1, y1]) => drawSegment(img, x0, y0, x1, y1, 1.5, 2));
    },
  },
};
