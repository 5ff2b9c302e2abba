/**
 * Executes one cell on a kernel. A cell is done when both its execute_reply and its iopub
 * 'idle' status arrived (either can come first). Times are recorded like nbclient's
 * `metadata.execution`. tslab specifics handled here: errors arrive as stderr text only (an
 * error output is synthesized), and requests shortly after an error are answered 'abort'
 * (retried after a pause).
 */
import type { Kernel } from './kernel';
import type { NotebookCell } from './nbformat';
import { synthesizeError, type ErrorOutput, type Output, type OutputCollector } from './outputs';
import type { JupyterMessage } from './wire';

export type CellStatus = 'ok' | 'error' | 'timeout' | 'died' | 'skipped';

export interface CellOutcome {
  status: CellStatus;
  /** For 'timeout': whether the interrupt stopped the cell (else the kernel was killed). */
  interrupted?: boolean;
  /** The error output recorded in the cell, for errors and timeouts. */
  error?: ErrorOutput;
}

export interface ExecuteCellOptions {
  /** Seconds; 0 or Infinity: no limit. */
  timeout: number;
  /** Seconds to wait after an interrupt before killing the kernel. */
  interruptGrace?: number;
  /** Called after each iopub message changed the cell's outputs (for live logs and partial saves). */
  onOutput?: (msg: JupyterMessage) => void;
}

const ABORT_RETRIES = 5;
// tslab drops requests for 200 ms after an error; wait a little longer than that.
const ABORT_PAUSE_MS = 300;

function now(): string {
  return new Date().toISOString();
}

type Wait = { kind: 'done'; reply: JupyterMessage | null } | { kind: 'timeout' } | { kind: 'died' };

/**
 * Runs `cell` (a code cell) and fills its outputs, execution_count and metadata.execution.
 *
 * @example
 * const outcome = await executeCell(kernel, new OutputCollector(), cell, { timeout: 60 });
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

  let current = '';
  let idle = false;
  const off = kernel.client.onIopub((msg) => {
    if (msg.parent_header.msg_id !== current) return;
    const type = msg.header.msg_type;
    if (type === 'status') {
      const state = msg.content.execution_state;
      if (state === 'busy') timing['iopub.status.busy'] = now();
      if (state === 'idle') {
        timing['iopub.status.idle'] = now();
        idle = true;
        wake();
      }
      return;
    }
    if (type === 'execute_input') timing['iopub.execute_input'] = now();
    if (collector.handle(outputs, msg)) options.onOutput?.(msg);
  });
  let wake: () => void = () => undefined;

  try {
    for (let attempt = 0; attempt <= ABORT_RETRIES; attempt++) {
      idle = false;
      const { msgId, reply } = kernel.execute(cell.source);
      current = msgId;
      let replyMsg: JupyterMessage | null = null;
      let replied = false;
      void reply.then((r) => {
        replyMsg = r;
        replied = true;
        timing['shell.execute_reply'] = now();
        wake();
      });
      const wait = await waitFor(
        () => replied && idle,
        kernel,
        deadline,
        (w) => (wake = w),
      );
      if (wait.kind === 'died') return died(kernel, outputs);
      if (wait.kind === 'timeout')
        return await timedOut(
          kernel,
          outputs,
          options,
          () => replied && idle,
          (w) => (wake = w),
        );
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
    off();
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

function died(kernel: Kernel, outputs: Output[]): CellOutcome {
  const exit = kernel.process.exit;
  const how = exit?.code !== null && exit?.code !== undefined ? `exit code ${exit.code}` : `signal ${exit?.signal}`;
  return {
    status: 'died',
    error: pushError(outputs, 'DeadKernelError', `the kernel died while running this cell (${how})`),
  };
}

async function timedOut(
  kernel: Kernel,
  outputs: Output[],
  options: ExecuteCellOptions,
  done: () => boolean,
  setWake: (w: () => void) => void,
): Promise<CellOutcome> {
  await kernel.interrupt();
  const grace = Date.now() + (options.interruptGrace ?? 5) * 1000;
  const after = await waitFor(done, kernel, grace, setWake);
  const interrupted = after.kind === 'done';
  // A kernel that ignores the interrupt (tslab in an async busy loop) is killed: the run stops
  // here anyway, and a hung kernel must not outlive the runner.
  if (!interrupted) await kernel.process.stop(2000);
  // Drop the kernel's own report of the interrupt: the timeout is the error to show.
  const idx = outputs.findIndex((o) => o.output_type === 'error');
  if (idx >= 0) outputs.splice(idx, 1);
  const seconds = options.timeout;
  const error = pushError(
    outputs,
    'CellTimeoutError',
    `the cell did not finish within ${seconds} s` + (interrupted ? '; it was interrupted' : '; the kernel was killed'),
  );
  return { status: 'timeout', interrupted, error };
}

/** Waits until `done()` (re-checked on every wake), the deadline, or the kernel's death. */
async function waitFor(
  done: () => boolean,
  kernel: Kernel,
  deadline: number,
  setWake: (w: () => void) => void,
): Promise<Wait> {
  while (!done()) {
    if (kernel.process.exit) return { kind: 'died' };
    const left = deadline - Date.now();
    if (left <= 0) return { kind: 'timeout' };
    await new Promise<void>((resolve) => {
      // Wake on progress, on exit, or every second to re-check (cheap; never busy).
      const timer = setTimeout(resolve, Math.min(left, 1000));
      setWake(() => {
        clearTimeout(timer);
        resolve();
      });
      void kernel.process.exited.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return { kind: 'done', reply: null };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
