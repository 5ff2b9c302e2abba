/**
 * Cross-batch memory (Wang et al., "Cross-Batch Memory for Embedding Learning", CVPR 2020), as
 * pytorch-metric-learning's CrossBatchMemory: a FIFO ring of the last `memorySize` embeddings and
 * labels, written without gradients, so each batch's anchors meet far more negatives than the
 * batch holds. Each call writes the batch into the ring (wrapping), then computes the wrapped loss
 * with the batch as anchors and the filled part of the ring as candidates, each anchor's own slot
 * excluded. Gradients reach the anchors only; the ring holds detached copies.
 */
import * as tf from '../tf';
import type { BaseMiner } from '../miners/base';
import type { LabelsLike, LossResult, MetricLoss, MinedIndices } from '../types';
import { checkEmbeddings, checkNumber, fail, labelsToArray } from '../validate';
import { BaseMetricLoss } from './base';
import { stopGradient } from './ops';
import type { Reference } from './reference';

const FN = 'crossBatchMemory';

export interface CrossBatchMemoryOptions {
  /** The pair or triplet loss to compute against the memory (contrastive, tripletMargin, ...). */
  loss: BaseMetricLoss;
  /** D of the embeddings the memory holds. */
  embeddingSize: number;
  /** Ring slots (default 1024, as pytorch-metric-learning). */
  memorySize?: number;
  /** Mines (batch anchor, memory candidate) tuples; default: every pair with the memory. */
  miner?: BaseMiner;
  /**
   * Warm-up: the first `startAfterSteps` calls compute the loss on the batch alone and leave the
   * memory empty (the paper starts the memory once embeddings drift slowly). Default 0.
   */
  startAfterSteps?: number;
}

/** Per-call options of `compute`. */
export interface MemoryComputeOptions {
  /**
   * Rows marked true only enter the memory (e.g. MoCo keys from a momentum encoder); the others
   * are the anchors, none of which is in the memory, so no slot is excluded.
   */
  enqueueMask?: ArrayLike<boolean>;
}

/** The memory's contents as plain values (`state()` / `restore()`, saved next to a model). */
export interface CrossBatchMemoryState {
  embeddingSize: number;
  memorySize: number;
  /** Next slot to write. */
  position: number;
  /** Filled slots (slots [0, filled) hold entries). */
  filled: number;
  /** Calls to `compute` so far (for the warm-up). */
  steps: number;
  /** [filled] */
  labels: Int32Array;
  /** [filled * embeddingSize], row-major. */
  embeddings: Float32Array;
}

export class CrossBatchMemory implements MetricLoss {
  readonly name = FN;
  readonly loss: BaseMetricLoss;
  readonly miner?: BaseMiner;
  readonly embeddingSize: number;
  readonly memorySize: number;
  readonly startAfterSteps: number;
  private readonly ring: tf.Variable<tf.Rank.R2>;
  private readonly ringLabels: Int32Array;
  private position = 0;
  private filled = 0;
  private steps = 0;

  constructor(options: CrossBatchMemoryOptions) {
    if (!(options?.loss instanceof BaseMetricLoss) || !options.loss.pairBased) {
      fail(
        FN,
        'loss',
        'be a pair or triplet loss of lib/losses (contrastive, tripletMargin, ...)',
        options?.loss?.name,
      );
    }
    this.loss = options.loss;
    this.miner = options.miner;
    if (this.miner !== undefined && typeof this.miner.mine !== 'function') fail(FN, 'miner', 'be a miner', this.miner);
    this.embeddingSize = checkNumber(FN, 'embeddingSize', options.embeddingSize, { min: 1, integer: true });
    this.memorySize = checkNumber(FN, 'memorySize', options.memorySize ?? 1024, { min: 1, integer: true });
    this.startAfterSteps = checkNumber(FN, 'startAfterSteps', options.startAfterSteps ?? 0, { min: 0, integer: true });
    this.ring = tf.tidy(() => tf.variable(tf.zeros([this.memorySize, this.embeddingSize]), false));
    this.ringLabels = new Int32Array(this.memorySize);
  }

  /** The wrapped loss's weights (e.g. marginLoss's β); the memory itself is not trained. */
  trainableWeights(): tf.Variable[] {
    return this.loss.trainableWeights();
  }

  /** Entries in the memory now. */
  get size(): number {
    return this.filled;
  }

  /** Whether the warm-up is over, so the next call uses the memory. */
  get active(): boolean {
    return this.steps >= this.startAfterSteps;
  }

  /**
   * One training step's loss: writes the batch (or its enqueue rows) into the memory, then the
   * wrapped loss of the anchors against the memory. Mined tuples come from the `miner` option
   * (they must index the memory), so `mined` must be omitted.
   *
   * @example
   * const xbm = losses.crossBatchMemory({ loss: losses.contrastive(), embeddingSize: 64, memorySize: 1024 });
   * optimizer.minimize(() => xbm.compute(model.predict(x) as tf.Tensor2D, labels).loss);
   */
  compute(
    embeddings: tf.Tensor2D,
    labels: LabelsLike,
    mined?: MinedIndices,
    options: MemoryComputeOptions = {},
  ): LossResult {
    if (mined !== undefined) {
      fail(
        FN,
        'mined',
        'be omitted (give the miner to crossBatchMemory({ miner }) to mine against the memory)',
        'tuples',
      );
    }
    const n = checkEmbeddings(FN, embeddings);
    if (embeddings.shape[1] !== this.embeddingSize)
      fail(FN, 'embeddings', `have ${this.embeddingSize} columns`, embeddings);
    const lab = labelsToArray(FN, labels, n);
    const enqueue = this.enqueueRows(n, options.enqueueMask);
    const anchors = options.enqueueMask ? complement(enqueue, n) : enqueue;
    const warm = !this.active;
    this.steps++;
    let stats: LossResult['stats'] | undefined;
    const loss = tf.tidy(() => {
      const anchorEmb = anchors.length === n ? embeddings : (tf.gather(embeddings, anchors) as tf.Tensor2D);
      const anchorLabels = Int32Array.from(anchors, (i) => lab[i]);
      let reference: Reference | undefined;
      if (warm) {
        // No memory yet: the batch alone (anchors against the enqueue rows when there is a mask).
        if (options.enqueueMask) {
          const keys = stopGradient(embeddings, (e) => tf.gather(e, enqueue)) as tf.Tensor2D;
          reference = { embeddings: keys, labels: enqueue.map((i) => lab[i]) };
        }
      } else {
        const slots = this.write(embeddings, lab, enqueue);
        reference = {
          embeddings: this.filled === this.memorySize ? this.ring : tf.slice(this.ring, 0, this.filled),
          labels: this.ringLabels.subarray(0, this.filled),
          selfIndex: options.enqueueMask ? undefined : slots,
        };
      }
      const tuples = this.miner?.mine(anchorEmb, anchorLabels, reference);
      const result = this.loss.compute(anchorEmb, anchorLabels, tuples, reference);
      stats = result.stats;
      return result.loss;
    });
    return { loss, stats: stats! };
  }

  /** Empties the memory and restarts the warm-up count. */
  reset(): void {
    tf.tidy(() => this.ring.assign(tf.zeros([this.memorySize, this.embeddingSize])));
    this.ringLabels.fill(0);
    this.position = 0;
    this.filled = 0;
    this.steps = 0;
  }

  /**
   * The memory as plain values (only the filled slots), e.g. to save it next to a model.
   *
   * @example
   * const saved = xbm.state(); // { embeddings, labels, ... } of the filled slots
   * xbm.reset();
   * xbm.restore(saved); // the memory as it was
   */
  state(): CrossBatchMemoryState {
    const filled = tf.tidy(() => tf.slice(this.ring, 0, this.filled));
    const embeddings = Float32Array.from(filled.dataSync());
    filled.dispose();
    return {
      embeddingSize: this.embeddingSize,
      memorySize: this.memorySize,
      position: this.position,
      filled: this.filled,
      steps: this.steps,
      labels: this.ringLabels.slice(0, this.filled),
      embeddings,
    };
  }

  /** Puts back a state from `state()` (same memory and embedding sizes). */
  restore(state: CrossBatchMemoryState): void {
    const fn = `${FN}.restore`;
    if (state?.memorySize !== this.memorySize) fail(fn, 'state.memorySize', `be ${this.memorySize}`, state?.memorySize);
    if (state.embeddingSize !== this.embeddingSize) {
      fail(fn, 'state.embeddingSize', `be ${this.embeddingSize}`, state.embeddingSize);
    }
    const filled = checkNumber(fn, 'state.filled', state.filled, { min: 0, max: this.memorySize, integer: true });
    const position = checkNumber(fn, 'state.position', state.position, {
      min: 0,
      max: this.memorySize - 1,
      integer: true,
    });
    const steps = checkNumber(fn, 'state.steps', state.steps, { min: 0, integer: true });
    if (filled < this.memorySize && position !== filled % this.memorySize) {
      fail(fn, 'state.position', `equal state.filled (${filled}) until the memory is full`, position);
    }
    const labels = labelsToArray(fn, state.labels, filled, 'state.labels');
    if (state.embeddings?.length !== filled * this.embeddingSize) {
      fail(
        fn,
        'state.embeddings',
        `hold filled x embeddingSize = ${filled * this.embeddingSize} values`,
        state.embeddings?.length,
      );
    }
    tf.tidy(() => {
      const rows = tf.tensor2d(state.embeddings, [filled, this.embeddingSize]);
      this.ring.assign(tf.concat([rows, tf.zeros([this.memorySize - filled, this.embeddingSize])]));
    });
    this.ringLabels.fill(0);
    this.ringLabels.set(labels);
    [this.position, this.filled, this.steps] = [position, filled, steps];
  }

  /** Frees the memory's tensor (and the wrapped loss's weights). */
  dispose(): void {
    this.ring.dispose();
    tf.dispose(this.loss.trainableWeights());
  }

  /** The rows that go into the memory: all, or those the mask marks. */
  private enqueueRows(n: number, mask: ArrayLike<boolean> | undefined): number[] {
    if (mask === undefined) {
      if (n > this.memorySize) fail(FN, 'embeddings', `have at most memorySize (${this.memorySize}) rows`, n);
      return Array.from({ length: n }, (_, i) => i);
    }
    if (typeof mask?.length !== 'number' || mask.length !== n) {
      fail(FN, 'enqueueMask', `have one entry per embedding (${n})`, mask?.length ?? typeof mask);
    }
    const rows: number[] = [];
    for (let i = 0; i < n; i++) {
      if (typeof mask[i] !== 'boolean') fail(FN, 'enqueueMask', 'hold booleans', `${String(mask[i])} at index ${i}`);
      if (mask[i]) rows.push(i);
    }
    if (rows.length === 0 || rows.length === n) {
      fail(FN, 'enqueueMask', 'mark some rows (enqueued) and leave some unmarked (anchors)', `${rows.length} of ${n}`);
    }
    if (rows.length > this.memorySize) {
      fail(FN, 'enqueueMask', `mark at most memorySize (${this.memorySize}) rows`, rows.length);
    }
    return rows;
  }

  /** Writes rows into the ring at the current position (wrapping); returns their slots. Inside tidy. */
  private write(embeddings: tf.Tensor2D, labels: Int32Array, rows: number[]): Int32Array {
    const m = this.memorySize;
    const slots = Int32Array.from(rows, (_, k) => (this.position + k) % m);
    // Slot s takes ring row s, or row m + k of [ring; new rows] when new row k goes there.
    const source = Int32Array.from({ length: m }, (_, s) => s);
    slots.forEach((s, k) => (source[s] = m + k));
    const updated = stopGradient(embeddings, (e) =>
      tf.gather(tf.concat([this.ring, tf.gather(e, rows)]), tf.tensor1d(source, 'int32')),
    );
    this.ring.assign(updated as tf.Tensor2D);
    slots.forEach((s, k) => (this.ringLabels[s] = labels[rows[k]]));
    this.position = (this.position + rows.length) % m;
    this.filled = Math.min(m, this.filled + rows.length);
    return slots;
  }
}

function complement(rows: number[], n: number): number[] {
  const taken = new Set(rows);
  return Array.from({ length: n }, (_, i) => i).filter((i) => !taken.has(i));
}

/**
 * Wraps a pair or triplet loss with a cross-batch memory (pytorch-metric-learning's
 * CrossBatchMemory): each batch is scored against the last `memorySize` embeddings as well.
 * Train with it as with any loss; call `reset()` between runs, `state()`/`restore()` (or
 * `saveMemory`/`loadMemory`) to keep it with a model.
 *
 * @example
 * const xbm = losses.crossBatchMemory({
 *   loss: losses.contrastive({ negMargin: 1 }),
 *   embeddingSize: 64,
 *   memorySize: 1024,
 *   miner: miners.multiSimilarity({ epsilon: 0.1 }), // optional
 *   startAfterSteps: 200, // optional warm-up on the batch alone
 * });
 * await train({ model, loss: xbm, sampler, data, epochs: 5 });
 */
export function crossBatchMemory(options: CrossBatchMemoryOptions): CrossBatchMemory {
  return new CrossBatchMemory(options);
}
