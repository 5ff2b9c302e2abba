/** Blurs: isotropic Gaussian and linear motion blur in a random direction. */
import { applyStencil, convolveSeparable, gaussianKernel, type Stencil } from './image-ops';

/**
 * The motion-blur kernel: taps every half pixel along a centred segment, each splatted onto its
 * four neighbouring pixels with bilinear weights, so any angle gives a smooth normalised kernel.
 * Convolving with this small sparse kernel is much faster than resampling along the line.
 */
function motionStencil(length: number, angle: number): Stencil {
  const taps = Math.ceil(length) * 2 + 1;
  const weights = new Map<string, number>();
  for (let t = 0; t < taps; t++) {
    const d = (t / (taps - 1) - 0.5) * length;
    const x = d * Math.cos(angle);
    const y = d * Math.sin(angle);
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const splat: [number, number, number][] = [
      [x0, y0, (1 - fx) * (1 - fy)],
      [x0 + 1, y0, fx * (1 - fy)],
      [x0, y0 + 1, (1 - fx) * fy],
      [x0 + 1, y0 + 1, fx * fy],
    ];
    for (const [sx, sy, w] of splat) {
      if (w > 0) weights.set(`${sx},${sy}`, (weights.get(`${sx},${sy}`) ?? 0) + w / taps);
    }
  }
  const entries = [...weights.entries()];
  return {
    dx: Int32Array.from(entries, ([k]) => Number(k.split(',')[0])),
    dy: Int32Array.from(entries, ([k]) => Number(k.split(',')[1])),
    weight: Float32Array.from(entries, ([, w]) => w),
  };
}
import type { CorruptionSpec } from './spec';

export const BLUR: Record<'gaussian_blur' | 'motion_blur', CorruptionSpec> = {
  gaussian_blur: {
    description: 'Gaussian blur',
    parameter: 'σ (pixels)',
    levels: [0.6, 0.9, 1.2, 1.6, 2.0],
    apply: (src, out, sigma) => convolveSeparable(src, gaussianKernel(sigma), out),
  },
  motion_blur: {
    description: 'average along a centred line of the given length at a random angle per image',
    parameter: 'length (pixels)',
    levels: [3, 5, 7, 9, 11],
    apply: (src, out, length, rng) => applyStencil(src, motionStencil(length, rng.range(0, Math.PI)), out),
  },
};
