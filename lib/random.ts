/**
 * The one seeded random number generator of the library. Samplers, splits, corruptions,
 * label noise, miners and weight initialisers all draw from a `Random`, so one seed fixes a run.
 *
 * The generator is sfc32 (small fast counter, from PractRand): 128 bits of state, passes
 * BigCrush, and is fast in plain JavaScript. Seeds are mixed with splitmix32 so that nearby
 * seeds (1, 2, 3...) give unrelated streams.
 *
 * @example
 * const rng = new Random(42);
 * rng.uniform();          // 0.0..1.0
 * rng.int(10);            // 0..9
 * rng.shuffle([1, 2, 3]); // a permutation, the same for seed 42 every time
 * const child = rng.fork('sampler'); // an independent stream derived from the seed and a name
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;
  /** The seed this generator was created with. */
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
      throw new Error(`Error in Random: seed must be an integer, but got ${seed}`);
    }
    this.seed = seed;
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new Error(`Error in Random.int: n must be a positive integer, but got ${n}`);
    }
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed integer with mean lambda (Knuth for small lambda, normal approx. above 60). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 60) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  shuffle(items: Int32Array): Int32Array;
  shuffle<T>(items: T[] | Int32Array): T[] | Int32Array {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** One element of a non-empty array, uniformly. */
  choice<T>(items: ArrayLike<T>): T {
    if (items.length === 0) throw new Error('Error in Random.choice: items must not be empty');
    return items[this.int(items.length)];
  }

  /** k distinct elements (k <= length), in random order. */
  sample<T>(items: ArrayLike<T>, k: number): T[] {
    if (k > items.length) {
      throw new Error(`Error in Random.sample: k must be at most the number of items (${items.length}), but got ${k}`);
    }
    const idx = this.permutation(items.length);
    const out: T[] = [];
    for (let i = 0; i < k; i++) out.push(items[idx[i]]);
    return out;
  }

  /** A 31-bit integer seed for tfjs initialisers and other seeded APIs. */
  seedInt(): number {
    return this.nextUint32() & 0x7fffffff;
  }

  /**
   * An independent generator derived from this one's seed and a name. Forking does not advance
   * this generator, so adding a new forked consumer does not change the numbers of the others.
   */
  fork(name: string): Random {
    let h = 2166136261 ^ this.seed;
    for (let i = 0; i < name.length; i++) {
      h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    }
    return new Random(h | 0);
  }
}

/** Accepts a seed or a generator, so APIs can take either. */
export type SeedLike = number | Random;

export function toRandom(seed: SeedLike): Random {
  return seed instanceof Random ? seed : new Random(seed);
}
