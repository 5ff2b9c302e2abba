/**
 * Per-image pixel operations on one H×W grayscale image stored row-major in a Float32Array.
 * Plain loops: a 28×28 image is 784 values, so typed-array loops beat tensor ops' dispatch cost
 * and give the same bits on every backend (corruptions must be reproducible by seed).
 */

/** One grayscale image: `data[y * width + x]`. */
export interface Gray {
  data: Float32Array;
  width: number;
  height: number;
}

/** Bilinear sample at (x, y) in pixel coordinates; outside the image counts as 0 (background). */
export function sampleBilinear(img: Gray, x: number, y: number): number {
  const { data, width: w, height: h } = img;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return 0;
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * w + x0;
  // Inlined neighbour reads (no closure): this is the inner loop of every warp.
  const left = x0 >= 0;
  const right = x0 + 1 < w;
  const top = y0 >= 0;
  const bottom = y0 + 1 < h;
  const v00 = left && top ? data[i] : 0;
  const v10 = right && top ? data[i + 1] : 0;
  const v01 = left && bottom ? data[i + w] : 0;
  const v11 = right && bottom ? data[i + w + 1] : 0;
  return (1 - fy) * ((1 - fx) * v00 + fx * v10) + fy * ((1 - fx) * v01 + fx * v11);
}

/** A sparse 2-D kernel: out(x, y) = Σ weight · in(x + dx, y + dy). */
export interface Stencil {
  dx: Int32Array;
  dy: Int32Array;
  weight: Float32Array;
}

/** Applies a sparse kernel with zero padding. */
export function applyStencil(img: Gray, stencil: Stencil, out: Float32Array): void {
  const { data, width: w, height: h } = img;
  out.fill(0);
  for (let t = 0; t < stencil.weight.length; t++) {
    const dx = stencil.dx[t];
    const dy = stencil.dy[t];
    const wt = stencil.weight[t];
    const y0 = Math.max(0, -dy);
    const y1 = Math.min(h, h - dy);
    const x0 = Math.max(0, -dx);
    const x1 = Math.min(w, w - dx);
    for (let y = y0; y < y1; y++) {
      const row = y * w;
      const src = (y + dy) * w + dx;
      for (let x = x0; x < x1; x++) out[row + x] += wt * data[src + x];
    }
  }
}

/**
 * 2×2 matrix + offset, mapping output coordinates (relative to the image centre) to input ones.
 * Warps are written as inverse maps so every output pixel is sampled exactly once.
 */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

/** out(p) = in(A·(p - centre) + centre + t), bilinear, zero outside. */
export function warpAffine(src: Gray, out: Float32Array, m: Affine): void {
  const cx = (src.width - 1) / 2;
  const cy = (src.height - 1) / 2;
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      out[y * src.width + x] = sampleBilinear(src, m.a * dx + m.b * dy + cx + m.tx, m.c * dx + m.d * dy + cy + m.ty);
    }
  }
}

/** The inverse map of a rotation by `degrees` (counter-clockwise on screen) and a uniform scale. */
export function rotationScale(degrees: number, scale = 1, tx = 0, ty = 0): Affine {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t) / scale;
  const sin = Math.sin(t) / scale;
  return { a: cos, b: -sin, c: sin, d: cos, tx, ty };
}

/** A normalised 1-D Gaussian kernel of radius ceil(truncate·σ). */
export function gaussianKernel(sigma: number, truncate = 3): Float32Array {
  const radius = Math.max(1, Math.ceil(truncate * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += k[i + radius];
  }
  return k.map((v) => v / sum);
}

/** Separable convolution with zero padding (background stays dark at the border). */
export function convolveSeparable(img: Gray, kernel: Float32Array, out: Float32Array): void {
  const { width: w, height: h } = img;
  const r = (kernel.length - 1) / 2;
  const tmp = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const xx = x + k;
        if (xx >= 0 && xx < w) s += kernel[k + r] * img.data[y * w + xx];
      }
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const yy = y + k;
        if (yy >= 0 && yy < h) s += kernel[k + r] * tmp[yy * w + x];
      }
      out[y * w + x] = s;
    }
  }
}

/**
 * Draws an anti-aliased segment of the given width by max-compositing value 1 (so drawing more
 * strokes can only brighten pixels). `dash` > 0 draws only every other `dash`-pixel piece.
 */
export function drawSegment(img: Gray, x0: number, y0: number, x1: number, y1: number, width: number, dash = 0): void {
  const vx = x1 - x0;
  const vy = y1 - y0;
  const len2 = vx * vx + vy * vy || 1e-12;
  const len = Math.sqrt(len2);
  // Only pixels within reach of the stroke can change.
  const reach = width / 2 + 1;
  const yStart = Math.max(0, Math.floor(Math.min(y0, y1) - reach));
  const yEnd = Math.min(img.height - 1, Math.ceil(Math.max(y0, y1) + reach));
  const xStart = Math.max(0, Math.floor(Math.min(x0, x1) - reach));
  const xEnd = Math.min(img.width - 1, Math.ceil(Math.max(x0, x1) + reach));
  for (let y = yStart; y <= yEnd; y++) {
    for (let x = xStart; x <= xEnd; x++) {
      const t = Math.max(0, Math.min(1, ((x - x0) * vx + (y - y0) * vy) / len2));
      if (dash > 0 && Math.floor((t * len) / dash) % 2 === 1) continue;
      const d = Math.hypot(x - (x0 + t * vx), y - (y0 + t * vy));
      const v = Math.min(1, Math.max(0, width / 2 + 0.5 - d));
      const i = y * img.width + x;
      if (v > img.data[i]) img.data[i] = v;
    }
  }
}

/** Clips every value to [0, 1] in place. */
export function clip01(data: Float32Array): void {
  for (let i = 0; i < data.length; i++) data[i] = data[i] < 0 ? 0 : data[i] > 1 ? 1 : data[i];
}
