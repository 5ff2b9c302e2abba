/**
 * Scores the retrieval queries on several cores at once while keeping retrievalMetrics
 * synchronous: worker threads (retrieval-worker.ts) and the calling thread take chunks of queries
 * from one atomic counter and write per-query values into the same shared arrays; the caller then
 * blocks on Atomics.wait until every worker has finished. Each worker runs its own tfjs backend
 * (the caller's, by name), so the matmuls and the top-k scans of different chunks run in parallel.
 * A worker that fails or exits early makes the call throw instead of returning partial metrics.
 *
 * @example
 * import { metricColumns } from './retrieval-scoring';
 * const perQuery = sharedColumns(job.queries.rows, metricColumns(job).length);
 * scoreInThreads(job, perQuery, 1); // the caller + one worker
 */
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as tf from '../tf';
import type { Matrix } from '../linalg/matrix';
import { type ScoringJob, scoreQueries } from './retrieval-scoring';

/** Pairs (queries × reference rows) below which threads cost more to start than they save. */
export const THREADS_MIN_PAIRS = 4e8;

/** Slots of the shared control array. */
const NEXT = 0;
const FINISHED = 1;
const FAILED = 2;

/** What a worker gets: the job with its arrays in shared memory, and where to report. */
export interface WorkerInput {
  job: ScoringJob;
  columns: SharedArrayBuffer;
  columnCount: number;
  control: SharedArrayBuffer;
  /** A shared buffer for a failing worker's message (UTF-8, zero-padded). */
  message: SharedArrayBuffer;
  backend: string;
}

/**
 * How many worker threads to use besides the caller: `requested` if given, else one per further
 * core (at most 3) when the job is large and the backend is wasm (the cpu backend's matmul is
 * plain JavaScript and a native backend already uses every core), else 0.
 *
 * @example
 * workerCount(undefined, 70000 * 70000); // 1 on a 2-core machine running wasm
 */
export function workerCount(requested: number | undefined, pairs: number): number {
  if (requested !== undefined) return requested;
  if (pairs < THREADS_MIN_PAIRS || tf.getBackend() !== 'wasm') return 0;
  return Math.max(0, Math.min(3, os.availableParallelism() - 1));
}

/** Float64 columns (one per metric, `rows` long) in one shared buffer. */
export function sharedColumns(rows: number, count: number): { buffer: SharedArrayBuffer; columns: Float64Array[] } {
  const buffer = new SharedArrayBuffer(8 * rows * count);
  return { buffer, columns: viewColumns(buffer, rows, count) };
}

/** The `count` float64 columns of `rows` values each in `buffer`. */
export function viewColumns(buffer: SharedArrayBuffer, rows: number, count: number): Float64Array[] {
  return Array.from({ length: count }, (_, i) => new Float64Array(buffer, 8 * rows * i, rows));
}

function shareMatrix(m: Matrix): Matrix {
  const data = new Float32Array(new SharedArrayBuffer(m.data.byteLength));
  data.set(m.data);
  return { data, rows: m.rows, dims: m.dims };
}

function shareInts(a: Int32Array): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * Starts the worker script next to this file: the compiled .js, or under tsx (tests, benches) the
 * .ts source, which a worker thread can only load after registering tsx's require hook itself
 * (workers do not inherit `--import tsx`).
 */
function startWorker(input: WorkerInput): Worker {
  const file = path.join(__dirname, `retrieval-worker${path.extname(__filename)}`);
  if (!file.endsWith('.ts')) return new Worker(file, { workerData: input });
  const code = `require('tsx/cjs/api').register(); require(${JSON.stringify(file)});`;
  return new Worker(code, { eval: true, workerData: input });
}

/**
 * Scores every query of `job` into `columns` (shared arrays from sharedColumns) using the calling
 * thread and `workers` worker threads. Throws if a worker fails.
 */
export function scoreInThreads(
  job: ScoringJob,
  columns: { buffer: SharedArrayBuffer; columns: Float64Array[] },
  workers: number,
  fn = 'retrievalMetrics',
): void {
  const control = new Int32Array(new SharedArrayBuffer(12));
  const message = new SharedArrayBuffer(1024);
  const queryLabels = shareInts(job.queryLabels);
  const shared: ScoringJob = {
    ...job,
    queries: shareMatrix(job.queries),
    reference: job.reference ? shareMatrix(job.reference) : null,
    queryLabels,
    referenceLabels: job.reference ? shareInts(job.referenceLabels) : queryLabels,
    R: shareInts(job.R),
  };
  const input: WorkerInput = {
    job: shared,
    columns: columns.buffer,
    columnCount: columns.columns.length,
    control: control.buffer as SharedArrayBuffer,
    message,
    backend: tf.getBackend(),
  };
  const spawned = Array.from({ length: workers }, () => startWorker(input));
  try {
    scoreQueries(job, columns.columns, (rows) => Atomics.add(control, NEXT, rows), fn);
    for (;;) {
      const finished = Atomics.load(control, FINISHED);
      if (finished >= workers) break;
      // A worker that exited without reporting (killed, out of memory) would be waited on forever.
      if (spawned.filter((w) => w.threadId === -1).length > finished) {
        throw new Error(`Error in ${fn}: a worker thread exited before finishing its queries`);
      }
      Atomics.wait(control, FINISHED, finished, 500);
    }
    if (Atomics.load(control, FAILED)) {
      const text = Buffer.from(message).toString('utf8').replace(/\0+$/, '');
      throw new Error(`Error in ${fn}: a worker thread failed: ${text}`);
    }
  } finally {
    for (const w of spawned) void w.terminate();
  }
}

/**
 * The worker side: score the chunks this thread claims, then report (also on failure).
 *
 * @example
 * import { workerData } from 'worker_threads'; // in retrieval-worker.ts
 * await runWorker(workerData as WorkerInput, (name) => useBackend(name === 'cpu' ? 'cpu' : 'wasm'));
 */
export async function runWorker(input: WorkerInput, useBackend: (name: string) => Promise<void>): Promise<void> {
  const control = new Int32Array(input.control);
  try {
    await useBackend(input.backend);
    const columns = viewColumns(input.columns, input.job.queries.rows, input.columnCount);
    scoreQueries(input.job, columns, (rows) => Atomics.add(control, NEXT, rows));
  } catch (e) {
    Atomics.store(control, FAILED, 1);
    new Uint8Array(input.message).set(Buffer.from(String(e instanceof Error ? e.message : e)).subarray(0, 1023));
  } finally {
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
}
