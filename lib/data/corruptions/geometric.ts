/** Geometric corruptions: affine warps and elastic deformation (bilinear, zero background). */
import { convolveSeparable, gaussianKernel, rotationScale, sampleBilinear, warpAffine } from './image-ops';
import { randomSign, type CorruptionSpec } from './spec';

export const GEOMETRIC: Record<'rotate' | 'shear' | 'scale' | 'translate' | 'elastic', CorruptionSpec> = {
  rotate: {
    description: 'rotation about the centre by ± the angle (sign random per image)',
    parameter: 'degrees',
    levels: [10, 20, 30, 45, 60],
    apply: (src, out, deg, rng) => warpAffine(src, out, rotationScale(randomSign(rng) * deg)),
  },
  shear: {
    description: 'horizontal shear x += s·y about the centre (sign random per image)',
    parameter: 'shear factor',
    levels: [0.15, 0.3, 0.45, 0.6, 0.75],
    apply: (src, out, s, rng) => warpAffine(src, out, { a: 1, b: -randomSign(rng) * s, c: 0, d: 1, tx: 0, ty: 0 }),
  },
  scale: {
    description: 'shrinks the image about its centre by the factor',
    parameter: 'scale factor',
    levels: [0.85, 0.75, 0.65, 0.55, 0.45],
    apply: (src, out, f) => warpAffine(src, out, rotationScale(0, f)),
  },
  translate: {
    description: 'shift by the distance in a random direction per image',
    parameter: 'pixels',
    levels: [2, 3.5, 5, 6.5, 8],
    apply: (src, out, px, rng) => {
      const angle = rng.range(0, 2 * Math.PI);
      warpAffine(src, out, rotationScale(0, 1, -px * Math.cos(angle), -px * Math.sin(angle)));
    },
  },
  elastic: {
    description:
      'elastic deformation (Simard et al. 2003): a Gaussian-smoothed (σ=3) random field, RMS displacement as given',
    parameter: 'RMS displacement (pixels)',
    levels: [0.75, 1.25, 1.75, 2.25, 2.75],
    apply: (src, out, rms, rng) => {
      const { width: w, height: h } = src;
      // Truncated at 2σ: the field only needs to be smooth, and this is the hot loop.
      const kernel = gaussianKernel(3, 2);
      const field = (): Float32Array => {
        const raw = new Float32Array(w * h);
        for (let i = 0; i < raw.length; i++) raw[i] = rng.range(-1, 1);
        const smooth = new Float32Array(w * h);
        convolveSeparable({ data: raw, width: w, height: h }, kernel, smooth);
        return smooth;
      };
      const dx = field();
      const dy = field();
      // Normalise to unit RMS so the level is the displacement in pixels, whatever the image size.
      let ss = 0;
      for (let i = 0; i < dx.length; i++) ss += dx[i] * dx[i] + dy[i] * dy[i];
      const norm = rms / Math.sqrt(ss / dx.length || 1);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = y * w + x;
          out[i] = sampleBilinear(src, x + norm * dx[i], y + norm * dy[i]);
        }
      }
    },
  },
};
