/**
 * The miners' JavaScript helpers `extremes` and `countTriplets` (lib/miners/base.ts) against their
 * versions before issue 16 (a visitor closure per matrix entry; countTriplets visiting all N·M
 * entries), on batch-hard's inputs at batch 256 with 16 classes: interleaved, CPU time, median
 * of paired ratios, and a check that both give the same answers.
 * Usage: node --import tsx bench/train/ab-mining.ts [--repeats N]
 *
 * @example
 * const { ratio, same } = abMining(200);
 */
import { distances } from '../../lib/distances';
import { forEachCandidate as visit } from '../../lib/losses/reference';
import { countTriplets, extremes, type MinerInput } from '../../lib/miners/base';
import { Random } from '../../lib/random';
import { summarize } from '../common';

/** lib/miners/base.ts before issue 16. */
function forEachCandidate(input: MinerInput, i: number, f: (j: number, positive: boolean) => void): void {
  visit(input.labels, { labels: input.refLabels, m: input.m, self: input.self }, i, f);
}
function countTripletsBefore(input: MinerInput): number {
  let total = 0;
  for (let i = 0; i < input.n; i++) {
    let pos = 0;
    let neg = 0;
    forEachCandidate(input, i, (_j, positive) => (positive ? pos++ : neg++));
    total += pos * neg;
  }
  return total;
}
function extremesBefore(input: MinerInput): { hardPos: Int32Array; hardNeg: Int32Array } {
  const { mat, n, m, distance } = input;
  const hardPos = new Int32Array(n).fill(-1);
  const hardNeg = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    forEachCandidate(input, i, (j, positive) => {
      const d = mat[i * m + j];
      if (positive) {
        if (hardPos[i] < 0 || distance.marginOf(d, mat[i * m + hardPos[i]]) > 0) hardPos[i] = j;
      } else if (hardNeg[i] < 0 || distance.marginOf(mat[i * m + hardNeg[i]], d) > 0) {
        hardNeg[i] = j;
      }
    });
  }
  return { hardPos, hardNeg };
}

function input(seed: number, n = 256, classes = 16): MinerInput {
  const rng = new Random(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  // Rounded values, so ties occur and tie-breaking is compared too.
  const mat = Float32Array.from({ length: n * n }, () => Math.round(rng.uniform() * 64) / 16);
  return {
    mat,
    labels,
    n,
    refLabels: labels,
    m: n,
    self: Int32Array.from({ length: n }, (_, i) => i),
    dim: 128,
    distance: distances.euclidean(),
  };
}

function cpuMs(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/**
 * `repeats` interleaved pairs (batch-hard's calls: extremes + countTriplets) after 20 warm-up pairs.
 *
 * @example
 * abMining(100).ratio; // before / after, median of pairs
 */
export function abMining(repeats: number): { beforeMs: number; afterMs: number; ratio: number; same: boolean } {
  const inputs = [1, 2, 3, 4].map((s) => input(s));
  let same = true;
  const b: number[] = [];
  const a: number[] = [];
  const ratios: number[] = [];
  for (let r = -20; r < repeats; r++) {
    const x = inputs[(r + 20) % inputs.length];
    let old: [ReturnType<typeof extremes>, number] | undefined;
    let now: [ReturnType<typeof extremes>, number] | undefined;
    const tb = cpuMs(() => void (old = [extremesBefore(x), countTripletsBefore(x)]));
    const ta = cpuMs(() => void (now = [extremes(x), countTriplets(x)]));
    if (String(old![0].hardPos) !== String(now![0].hardPos) || String(old![0].hardNeg) !== String(now![0].hardNeg))
      same = false;
    if (old![1] !== now![1]) same = false;
    if (r < 0) continue;
    b.push(tb);
    a.push(ta);
    ratios.push(tb / Math.max(ta, 1e-3));
  }
  return { beforeMs: summarize(b).median, afterMs: summarize(a).median, ratio: summarize(ratios).median, same };
}

if (require.main === module) {
  const r = process.argv.indexOf('--repeats');
  const res = abMining(r > 0 ? Number(process.argv[r + 1]) : 200);
  console.log(
    `batch-hard's helpers at batch 256: CPU ms medians before ${res.beforeMs.toFixed(3)}, after ` +
      `${res.afterMs.toFixed(3)}; median paired ratio ${res.ratio.toFixed(2)}; same answers: ${res.same}`,
  );
}
