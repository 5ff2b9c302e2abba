/**
 * Executes one cell on a kernel. A cell is done when both its execute_reply and its iopub
 * 'idle' status arrived (either can come first). Times are recorded like nbclient's
 * `metadata.execution`. Every wait has a deadline: the cell timeout, the iopub timeout after
 * the execute_reply (a lost 'idle' must not hang the run), the kernel's death, a failed reader,
 * and the run's abort signal (SIGINT/SIGTERM). tslab specifics handled here: errors arrive as
 * stderr text only (an error output is synthesized), and requests shortly after an error are
 * answered 'abort' (retried after a pause).
 */
import type { Kernel } from './kernel';
import type { NotebookCell } from './nbformat';
import { synthesizeError, type ErrorOutput, type Output, type OutputCollector } from './outputs';
import type { JupyterMessage } from './wire';

export type CellStatus = 'ok' | 'error' | 'timeout' | 'died' | 'lost' | 'interrupted' | 'skipped';

export interface CellOutcome {
  status: CellStatus;
  /** For 'timeout': whether the interrupt stopped the cell (else the kernel was killed). */
  interrupted?: boolean;
  /** For 'lost': what was missing or failed. */
  detail?: string;
  /** The error output recorded in the cell, for errors, timeouts, lost output and interrupts. */
  error?: ErrorOutput;
}

export interface ExecuteCellOptions {
  /** Seconds; 0 or Infinity: no limit. */
  timeout: number;
  /**
   * Seconds to wait, after the execute_reply, for the iopub stream to end with 'idle' (reset
   * by every iopub message of the cell). Default 10; nbclient's iopub_timeout is 4.
   */
  iopubTimeout?: number;
  /** Seconds to wait after an interrupt before killing the kernel. */
  interruptGrace?: number;
  /** Aborting it (reason 'SIGINT' or 'SIGTERM') interrupts the cell and ends it as 'interrupted'. */
  signal?: AbortSignal;
  /** Called after each iopub message changed the cell's outputs (for live logs and partial saves). */
  onOutput?: (msg: JupyterMessage) => void;
}

const ABORT_RETRIES = 5;
// tslab drops requests for 200 ms after an error; wait a little longer than that.
const ABORT_PAUSE_MS = 300;

function now(): string {
  return new Date().toISOString();
}

type Wait =
  { kind: 'done' } | { kind: 'timeout' } | { kind: 'died' } | { kind: 'lost'; detail: string } | { kind: 'aborted' };

/** What a wait watches; the iopub listener and the reply update it and call `wake`. */
interface CellState {
  replied: boolean;
  idle: boolean;
  /** Last time the execute_reply or an iopub message of the cell arrived. */
  lastProgress: number;
  failure: Error | null;
  wake: () => void;
}

/**
 * Runs `cell` (a code cell) and fills its outputs, execution_count and metadata.execution.
 *
 * @example
 * import { OutputCollector } from './outputs';
 * const outcome = await executeCell(kernel, new OutputCollector(), nb.cells[0], { timeout: 60 }); // a code cell
 * outcome.status; // 'ok'
 */
export async function executeCell(
  kernel: Kernel,
  collector: OutputCollector,
  cell: NotebookCell,
  options: ExecuteCellOptions,
): Promise<CellOutcome> {
  const outputs: Output[] = [];
  cell.outputs = outputs;
  cell.execution_count = null;
  const timing: Record<string, string> = {};
  cell.metadata.execution = timing;
  const deadline =
    options.timeout > 0 && Number.isFinite(options.timeout) ? Date.now() + options.timeout * 1000 : Infinity;
  const iopubMs = (options.iopubTimeout ?? 10) * 1000;

  let current = '';
  const state: CellState = { replied: false, idle: false, lastProgress: Date.now(), failure: null, wake: () => {} };
  const offIopub = kernel.client.onIopub((msg) => {
    if (msg.parent_header.msg_id !== current) return;
    state.lastProgress = Date.now();
    const type = msg.header.msg_type;
    if (type === 'status') {
      const executionState = msg.content.execution_state;
      if (executionState === 'busy') timing['iopub.status.busy'] = now();
      if (executionState === 'idle') {
        timing['iopub.status.idle'] = now();
        state.idle = true;
        state.wake();
      }
      return;
    }
    if (type === 'execute_input') timing['iopub.execute_input'] = now();
    if (collector.handle(outputs, msg)) options.onOutput?.(msg);
  });
  const offFailure = kernel.client.onFailure((e) => {
    state.failure ??= e;
    state.wake();
  });
  void kernel.process.exited.then(() => state.wake());
  const onAbort = (): void => state.wake();
  options.signal?.addEventListener('abort', onAbort);
  const done = (): boolean => state.replied && state.idle;

  try {
    for (let attempt = 0; attempt <= ABORT_RETRIES; attempt++) {
      Object.assign(state, { replied: false, idle: false, lastProgress: Date.now() });
      const { msgId, reply } = kernel.execute(cell.source);
      current = msgId;
      let replyMsg: JupyterMessage | null = null;
      void reply.then((r) => {
        if (current !== msgId) return;
        replyMsg = r;
        state.replied = true;
        state.lastProgress = Date.now();
        timing['shell.execute_reply'] = now();
        state.wake();
      });
      const wait = await waitFor(done, kernel, state, deadline, iopubMs, options.signal);
      if (wait.kind === 'died') return died(kernel, outputs);
      if (wait.kind === 'lost') return lost(outputs, wait.detail);
      if (wait.kind === 'aborted') return await aborted(kernel, outputs, state, options);
      if (wait.kind === 'timeout') return await timedOut(kernel, outputs, state, options);
      const content = (replyMsg as JupyterMessage | null)?.content ?? {};
      if (content.status === 'abort' || content.status === 'aborted') {
        await sleep(ABORT_PAUSE_MS);
        continue;
      }
      cell.execution_count = typeof content.execution_count === 'number' ? content.execution_count : null;
      if (content.status === 'error') return { status: 'error', error: errorOutputOf(outputs) };
      return { status: 'ok' };
    }
    const error = pushError(outputs, 'AbortedError', `the kernel aborted the request ${ABORT_RETRIES + 1} times`);
    return { status: 'error', error };
  } finally {
    offIopub();
    offFailure();
    options.signal?.removeEventListener('abort', onAbort);
    collector.endCell();
  }
}

/** The cell's error output; synthesized from its stderr when the kernel sent none (tslab). */
function errorOutputOf(outputs: Output[]): ErrorOutput {
  const existing = outputs.find((o): o is ErrorOutput => o.output_type === 'error');
  if (existing) return existing;
  const stderr = outputs
    .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => (o.output_type === 'stream' ? o.text : ''))
    .join('');
  const error = synthesizeError(stderr);
  outputs.push(error);
  return error;
}

function pushError(outputs: Output[], ename: string, evalue: string): ErrorOutput {
  const error: ErrorOutput = { output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] };
  outputs.push(error);
  return error;
}

/** Removes the kernel's own report of an interrupt: the runner's reason is the error to show. */
function dropKernelErrors(outputs: Output[]): void {
  for (let i = outputs.length - 1; i >= 0; i--) if (outputs[i].output_type === 'error') outputs.splice(i, 1);
}

function died(kernel: Kernel, outputs: Output[]): CellOutcome {
  const exit = kernel.process.exit;
  const how = exit?.code !== null && exit?.code !== undefined ? `exit code ${exit.code}` : `signal ${exit?.signal}`;
  return {
    status: 'died',
    error: pushError(outputs, 'DeadKernelError', `the kernel died while running this cell (${how})`),
  };
}

function lost(outputs: Output[], detail: string): CellOutcome {
  return { status: 'lost', detail, error: pushError(outputs, 'IopubTimeoutError', detail) };
}

/** Interrupts, waits `interruptGrace` for the cell to end, kills the kernel if it does not. */
async function interruptOrKill(kernel: Kernel, state: CellState, options: ExecuteCellOptions): Promise<boolean> {
  await kernel.interrupt();
  const grace = Date.now() + (options.interruptGrace ?? 5) * 1000;
  const after = await waitFor(() => state.replied && state.idle, kernel, state, grace, Infinity);
  const stopped = after.kind === 'done';
  // A kernel that ignores the interrupt (tslab in an async busy loop) is killed: the run stops
  // here anyway, and a hung kernel must not outlive the runner.
  if (!stopped) await kernel.process.stop(2000);
  return stopped;
}

async function timedOut(
  kernel: Kernel,
  outputs: Output[],
  state: CellState,
  options: ExecuteCellOptions,
): Promise<CellOutcome> {
  const interrupted = await interruptOrKill(kernel, state, options);
  dropKernelErrors(outputs);
  const error = pushError(
    outputs,
    'CellTimeoutError',
    `the cell did not finish within ${options.timeout} s` +
      (interrupted ? '; it was interrupted' : '; the kernel was killed'),
  );
  return { status: 'timeout', interrupted, error };
}

async function aborted(
  kernel: Kernel,
  outputs: Output[],
  state: CellState,
  options: ExecuteCellOptions,
): Promise<CellOutcome> {
  const reason = String(options.signal?.reason ?? 'a signal');
  const interrupted = await interruptOrKill(kernel, state, { ...options, interruptGrace: options.interruptGrace ?? 3 });
  dropKernelErrors(outputs);
  const error = pushError(
    outputs,
    'RunInterrupted',
    `the run was stopped by ${reason} while this cell ran` +
      (interrupted ? '; the cell was interrupted' : '; the kernel was killed'),
  );
  return { status: 'interrupted', interrupted, error };
}

/**
 * Waits until `done()` (re-checked on every wake), or until one of the deadlines: the cell's,
 * the iopub timeout after the reply, the kernel's death, a reader failure, the abort signal.
 */
async function waitFor(
  done: () => boolean,
  kernel: Kernel,
  state: CellState,
  deadline: number,
  iopubMs: number,
  signal?: AbortSignal,
): Promise<Wait> {
  while (!done()) {
    if (kernel.process.exit) return { kind: 'died' };
    if (state.failure)
      return { kind: 'lost', detail: `the kernel's messages could not be read: ${state.failure.message}` };
    if (signal?.aborted) return { kind: 'aborted' };
    const t = Date.now();
    if (deadline - t <= 0) return { kind: 'timeout' };
    const quiet = state.lastProgress + iopubMs - t;
    if (state.replied && quiet <= 0) {
      return {
        kind: 'lost',
        detail:
          `no 'idle' status on iopub within ${iopubMs / 1000} s after the execute_reply: ` +
          `output messages were lost, so this cell's outputs may be incomplete`,
      };
    }
    const left = Math.min(deadline - t, state.replied ? quiet : Infinity, 1000);
    await new Promise<void>((resolve) => {
      // Woken on progress, exit, failure or abort, or every second to re-check (cheap; never busy).
      const timer = setTimeout(resolve, left);
      state.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  return { kind: 'done' };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
