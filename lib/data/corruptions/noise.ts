/** Pixel noise: additive Gaussian, Poisson (shot) and salt-and-pepper (impulse). */
import type { CorruptionSpec } from './spec';

export const NOISE: Record<'gaussian_noise' | 'shot_noise' | 'impulse_noise', CorruptionSpec> = {
  gaussian_noise: {
    description: 'adds N(0, σ²) to every pixel',
    parameter: 'σ',
    levels: [0.08, 0.16, 0.24, 0.32, 0.4],
    apply: (src, out, sigma, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = src.data[i] + sigma * rng.normal();
    },
  },
  shot_noise: {
    description: 'Poisson photon noise: Poisson(λ·x)/λ; fewer photons λ is stronger',
    parameter: 'λ (photons at full white)',
    levels: [60, 25, 12, 6, 3],
    apply: (src, out, lambda, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = rng.poisson(lambda * src.data[i]) / lambda;
    },
  },
  impulse_noise: {
    description: 'salt-and-pepper: the given fraction of pixels set to 0 or 1 at random',
    parameter: 'fraction of pixels',
    levels: [0.03, 0.06, 0.1, 0.15, 0.2],
    apply: (src, out, amount, rng) => {
      for (let i = 0; i < out.length; i++) {
        // Both draws happen at every pixel, so a higher severity hits a superset of pixels.
        const hit = rng.uniform() < amount;
        const salt = rng.bernoulli(0.5);
        out[i] = hit ? (salt ? 1 : 0) : src.data[i];
      }
    },
  },
};
