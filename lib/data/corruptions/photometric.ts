/** Intensity changes: contrast, brightness, inversion and fog. */
import type { Random } from '../../random';
import type { CorruptionSpec } from './spec';

/** Value noise in [0, 1]: octaves of bilinearly upsampled random grids (a cheap plasma fractal). */
function fogField(width: number, height: number, rng: Random): Float32Array {
  const field = new Float32Array(width * height);
  let amplitude = 1;
  let total = 0;
  for (let cells = 2; cells <= 16; cells *= 2) {
    const grid = new Float32Array((cells + 1) * (cells + 1));
    for (let i = 0; i < grid.length; i++) grid[i] = rng.uniform();
    const stride = cells + 1;
    for (let y = 0; y < height; y++) {
      const gy = (y / (height - 1)) * cells;
      const y0 = Math.min(cells - 1, Math.floor(gy));
      const fy = gy - y0;
      for (let x = 0; x < width; x++) {
        const gx = (x / (width - 1)) * cells;
        const x0 = Math.min(cells - 1, Math.floor(gx));
        const fx = gx - x0;
        const i = y0 * stride + x0;
        const top = (1 - fx) * grid[i] + fx * grid[i + 1];
        const bottom = (1 - fx) * grid[i + stride] + fx * grid[i + stride + 1];
        field[y * width + x] += amplitude * ((1 - fy) * top + fy * bottom);
      }
    }
    total += amplitude;
    amplitude /= 2;
  }
  return field.map((v) => v / total);
}

export const PHOTOMETRIC: Record<'contrast' | 'brightness' | 'inversion' | 'fog', CorruptionSpec> = {
  contrast: {
    description: "scales each image's deviation from its mean by the factor",
    parameter: 'contrast factor',
    levels: [0.7, 0.55, 0.4, 0.25, 0.1],
    apply: (src, out, c) => {
      let mean = 0;
      for (let i = 0; i < out.length; i++) mean += src.data[i];
      mean /= out.length;
      for (let i = 0; i < out.length; i++) out[i] = (src.data[i] - mean) * c + mean;
    },
  },
  brightness: {
    description: 'adds a constant to every pixel',
    parameter: 'offset',
    levels: [0.1, 0.2, 0.3, 0.4, 0.5],
    apply: (src, out, b) => {
      for (let i = 0; i < out.length; i++) out[i] = src.data[i] + b;
    },
  },
  inversion: {
    description: 'blends toward the negative 1 - x; severity 5 is the full inversion of MNIST-C',
    parameter: 'blend weight',
    levels: [0.2, 0.4, 0.6, 0.8, 1.0],
    apply: (src, out, a) => {
      for (let i = 0; i < out.length; i++) out[i] = src.data[i] + a * (1 - 2 * src.data[i]);
    },
  },
  fog: {
    description: 'adds a smooth random haze (value-noise fractal) of the given strength',
    parameter: 'haze strength',
    levels: [0.15, 0.3, 0.45, 0.6, 0.75],
    apply: (src, out, strength, rng) => {
      const f = fogField(src.width, src.height, rng);
      for (let i = 0; i < out.length; i++) out[i] = src.data[i] + strength * f[i];
    },
  },
};
