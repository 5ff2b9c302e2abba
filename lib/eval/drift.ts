/**
 * Embedding drift between a reference set (what the index was built and tuned on) and a current
 * set (this week's queries), without labels: the shift of the mean in units of the reference's
 * spread, the ratio of mean norms, and a two-sample test of the whole distribution: the maximum
 * mean discrepancy with a Gaussian kernel (Gretton et al. 2012; bandwidth = the median pairwise
 * distance) and its permutation p-value. Large sets are subsampled with the seed.
 */
import { type SeedLike, toRandom } from '../random';
import { checkNumber, fail } from '../validate';
import { type Matrix, type VectorsLike, squaredDistance, takeRows, toMatrix } from '../linalg/matrix';

export interface DriftOptions {
  seed: SeedLike;
  /** Points kept from each set (default 300). */
  maxPoints?: number;
  /** Permutations of the test (default 200). */
  permutations?: number;
}

export interface EmbeddingDrift {
  /** ||mean(current) - mean(reference)|| / RMS distance of reference points to their mean. */
  meanShift: number;
  /** mean ||current|| / mean ||reference||. */
  normRatio: number;
  /** Unbiased MMD² estimate (0 in expectation when nothing drifted; can be slightly negative). */
  mmd2: number;
  /** Share of label-free permutations whose MMD² reaches the observed one ((1 + count) / (1 + P)). */
  pValue: number;
  /** Gaussian kernel width used (the median pairwise distance of the pooled points). */
  bandwidth: number;
  pointsUsed: { reference: number; current: number };
}

const FN = 'embeddingDrift';

/**
 * @example
 * // reference: the gallery's embeddings (vectors); current: today's query embeddings (queries)
 * const d = embeddingDrift(vectors, queries, { seed: 0 });
 * if (d.pValue < 0.01) console.log(`drift: mean moved ${d.meanShift.toFixed(2)} spreads`);
 */
export function embeddingDrift(reference: VectorsLike, current: VectorsLike, options: DriftOptions): EmbeddingDrift {
  const rng = toRandom(options.seed);
  const maxPoints = checkNumber(FN, 'maxPoints', options.maxPoints ?? 300, { min: 2, integer: true });
  const permutations = checkNumber(FN, 'permutations', options.permutations ?? 200, { min: 1, integer: true });
  const sample = (m: Matrix): Matrix =>
    m.rows > maxPoints ? takeRows(m, rng.permutation(m.rows).subarray(0, maxPoints)) : m;
  const ref = sample(toMatrix(FN, reference, 'reference'));
  const cur = sample(toMatrix(FN, current, 'current'));
  if (cur.dims !== ref.dims) fail(FN, 'current', `have ${ref.dims} columns like reference`, cur.dims);
  if (ref.rows < 2 || cur.rows < 2)
    fail(FN, 'reference and current', 'have at least 2 rows each', `${ref.rows}, ${cur.rows}`);

  const mr = meanRow(ref);
  const mc = meanRow(cur);
  let spread = 0;
  for (let i = 0; i < ref.rows; i++) spread += squaredDistance(ref, i, mr, 0);
  spread = Math.sqrt(spread / ref.rows);
  const zero: Matrix = { data: new Float32Array(ref.dims), rows: 1, dims: ref.dims };
  const meanNorm = (m: Matrix): number => {
    let s = 0;
    for (let i = 0; i < m.rows; i++) s += Math.sqrt(squaredDistance(m, i, zero, 0));
    return s / m.rows;
  };

  // Pooled kernel matrix once; each permutation only relabels which rows are "reference".
  const n = ref.rows + cur.rows;
  const pooled: Matrix = { data: new Float32Array(n * ref.dims), rows: n, dims: ref.dims };
  pooled.data.set(ref.data);
  pooled.data.set(cur.data, ref.data.length);
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) d2[i * n + j] = d2[j * n + i] = squaredDistance(pooled, i, pooled, j);
  const upper: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper.push(d2[i * n + j]);
  upper.sort((a, b) => a - b);
  const bandwidth = Math.sqrt(upper[Math.floor(upper.length / 2)]) || 1;
  const K = d2.map((v) => Math.exp(-v / (2 * bandwidth * bandwidth)));
  const inRef = new Uint8Array(n);
  for (let i = 0; i < ref.rows; i++) inRef[i] = 1;
  const observed = mmd2(K, n, inRef, ref.rows, cur.rows);
  let atLeast = 0;
  const order = new Int32Array(n).map((_, i) => i);
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(order);
    inRef.fill(0);
    for (let i = 0; i < ref.rows; i++) inRef[order[i]] = 1;
    if (mmd2(K, n, inRef, ref.rows, cur.rows) >= observed) atLeast++;
  }
  return {
    meanShift: spread > 0 ? Math.sqrt(squaredDistance(mc, 0, mr, 0)) / spread : 0,
    normRatio: meanNorm(cur) / Math.max(meanNorm(ref), 1e-12),
    mmd2: observed,
    pValue: (1 + atLeast) / (1 + permutations),
    bandwidth,
    pointsUsed: { reference: ref.rows, current: cur.rows },
  };
}

function meanRow(m: Matrix): Matrix {
  const data = new Float32Array(m.dims);
  for (let i = 0; i < m.rows; i++) for (let d = 0; d < m.dims; d++) data[d] += m.data[i * m.dims + d] / m.rows;
  return { data, rows: 1, dims: m.dims };
}

/** Unbiased MMD² of the rows marked in `inRef` (a of them) against the others (b). */
function mmd2(K: Float64Array, n: number, inRef: Uint8Array, a: number, b: number): number {
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const k = K[i * n + j];
      if (inRef[i] && inRef[j]) xx += k;
      else if (!inRef[i] && !inRef[j]) yy += k;
      else xy += k;
    }
  }
  return (2 * xx) / (a * (a - 1)) + (2 * yy) / (b * (b - 1)) - (2 * xy) / (a * b);
}
