/**
 * A running kernel: process + connection + client. Start-up follows nbclient: send
 * kernel_info_request until a reply arrives AND iopub delivered a message for it (a subscriber
 * misses what is published before it joined). Ports clashing with another process are retried
 * with fresh ones. Shutdown: shutdown_request, then SIGTERM, then SIGKILL to the process group;
 * it ends as soon as the process exits (tslab exits without replying to shutdown_request).
 * Kernels get JPY_PARENT_PID, so ipykernel exits by itself if the runner dies.
 */
import { KernelClient } from './client';
import { writeConnectionFile, type ConnectionFile } from './connection';
import { KernelStartError } from './errors';
import { KernelProcess } from './kernel-process';
import { launchArgv, type KernelSpec } from './kernelspec';
import type { JupyterMessage } from './wire';

export interface StartOptions {
  /** The kernel's working directory (the notebook's folder: module resolution depends on it). */
  cwd: string;
  /** Seconds to wait for the first kernel_info_reply. Default 60. */
  startupTimeout?: number;
  /** Receives everything the kernel process writes to stdout/stderr (for --log-output). */
  onProcessOutput?: (text: string) => void;
  /** Extra environment for the kernel. */
  env?: Record<string, string>;
}

const PORT_CLASH = /EADDRINUSE|Address already in use/i;
const START_ATTEMPTS = 3;

/**
 * A started kernel.
 *
 * @example
 * const kernel = await Kernel.start(findKernelSpec('tslab'), { cwd: 'notebooks' });
 * try { kernel.client.request('shell', 'execute_request', { code: '1+1', silent: false }); }
 * finally { await kernel.shutdown(); }
 */
export class Kernel {
  /** The kernel_info_reply content. */
  info: Record<string, unknown> = {};

  private constructor(
    readonly spec: KernelSpec,
    readonly process: KernelProcess,
    readonly client: KernelClient,
    private readonly connection: ConnectionFile,
  ) {}

  /** Starts a kernel and waits until it answers on shell and publishes on iopub. */
  static async start(spec: KernelSpec, options: StartOptions): Promise<Kernel> {
    const timeoutMs = (options.startupTimeout ?? 60) * 1000;
    const deadline = Date.now() + timeoutMs;
    let lastTail = '';
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const connection = await writeConnectionFile(spec.name);
      const proc = KernelProcess.spawn(launchArgv(spec, connection.path), {
        cwd: options.cwd,
        // JPY_PARENT_PID: ipykernel polls its parent and exits when the runner is gone.
        env: { ...process.env, ...spec.env, ...options.env, JPY_PARENT_PID: String(process.pid) },
        onOutput: options.onProcessOutput,
      });
      const kernel = new Kernel(spec, proc, new KernelClient(connection.info), connection);
      const outcome = await kernel.handshake(deadline);
      if (outcome === 'ready') return kernel;
      lastTail = proc.outputTail;
      await kernel.dispose();
      const clash = PORT_CLASH.test(lastTail);
      if (outcome === 'timeout' && !clash) {
        throw new KernelStartError(spec.name, `no kernel_info_reply within ${timeoutMs / 1000} s`, lastTail);
      }
      if (!clash) {
        const exit = proc.exit;
        throw new KernelStartError(
          spec.name,
          `the process exited during start-up (exit code ${exit?.code ?? 'none'}, signal ${exit?.signal ?? 'none'})`,
          lastTail,
        );
      }
      // A port was taken between our probe and the kernel's bind: try again with new ports.
    }
    throw new KernelStartError(spec.name, `ports kept clashing after ${START_ATTEMPTS} attempts`, lastTail);
  }

  private async handshake(deadline: number): Promise<'ready' | 'exited' | 'timeout'> {
    const asked = new Set<string>();
    let iopubLive = false;
    const off = this.client.onIopub((m) => {
      if (m.parent_header.msg_id && asked.has(m.parent_header.msg_id)) iopubLive = true;
    });
    let replied = false;
    try {
      while (Date.now() < deadline) {
        if (this.process.exit || PORT_CLASH.test(this.process.outputTail)) return 'exited';
        const { msgId, reply } = this.client.request('shell', 'kernel_info_request', {}, 1000);
        asked.add(msgId);
        const r = await Promise.race([reply, this.process.exited.then(() => null)]);
        if (r) {
          replied = true;
          this.info = r.content;
        }
        if (replied && !iopubLive) await sleep(200);
        if (replied && iopubLive) return 'ready';
      }
      return 'timeout';
    } finally {
      off();
    }
  }

  /** Whether the kernel is alive: its process runs and (if asked) it answers the heartbeat. */
  async isAlive(checkHeartbeat = false): Promise<boolean> {
    if (this.process.exit) return false;
    return checkHeartbeat ? this.client.heartbeat() : true;
  }

  /** Interrupts the running cell: SIGINT to the group, or interrupt_request on control. */
  async interrupt(): Promise<void> {
    if (this.spec.interrupt_mode === 'message') {
      await this.client.request('control', 'interrupt_request', {}, 2000).reply;
    } else {
      this.process.signal('SIGINT');
    }
  }

  /** Sends an execute_request; returns its msg_id and the promise of the execute_reply. */
  execute(code: string): { msgId: string; reply: Promise<JupyterMessage | null> } {
    return this.client.request('shell', 'execute_request', {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      // The runner decides what an error stops; the kernel must not abort queued cells itself.
      stop_on_error: false,
    });
  }

  /**
   * Stops the kernel politely, then firmly; always frees sockets and the connection file.
   * Resolves as soon as the process exits, whether or not it replied ('reply' | 'exit'), or
   * with 'killed' when it had to be killed after `graceMs`.
   */
  async shutdown(graceMs = 3000): Promise<'reply' | 'exit' | 'killed'> {
    let how: 'reply' | 'exit' | 'killed' = 'exit';
    if (!this.process.exit) {
      const { reply } = this.client.request('control', 'shutdown_request', { restart: false }, graceMs);
      const first = await Promise.race([
        reply.then((r) => (r ? 'reply' : 'timeout')),
        this.process.exited.then(() => 'exit'),
      ]);
      if (first === 'reply') how = 'reply';
      if (!(await this.process.waitExit(graceMs))) how = 'killed';
    }
    await this.dispose();
    return how;
  }

  private async dispose(): Promise<void> {
    this.client.close();
    await this.process.stop(2000);
    this.connection.dispose();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
