/**
 * The client side of the five kernel channels over ZeroMQ: shell and control (Dealer), iopub
 * (Subscriber to everything), stdin (Dealer), heartbeat (Request). Replies are routed to their
 * request by parent msg_id; iopub messages go to listeners. Signing lives in wire.ts.
 *
 * A reader never dies silently: a message that cannot be decoded or handled, or a socket that
 * fails, is reported to `onFailure` listeners (the executor then ends the cell with a clear
 * error) and reading goes on. The iopub queue is unbounded on our side, so a slow moment in the
 * runner does not make ZeroMQ drop the kernel's output.
 */
import * as zmq from 'zeromq';
import { channelAddress, type ConnectionInfo } from './connection';
import { MessageCodec, type JupyterMessage } from './wire';

export type RequestChannel = 'shell' | 'control';

/**
 * Connected sockets for one kernel.
 *
 * @example
 * import { writeConnectionFile } from './connection';
 * const { info } = await writeConnectionFile('tslab'); // a kernel started with this file's path
 * const client = new KernelClient(info);
 * const { reply } = client.request('shell', 'kernel_info_request', {}, 1000);
 * (await reply)?.content.implementation; // 'tslab'
 * client.close();
 */
export class KernelClient {
  readonly codec: MessageCodec;
  private readonly sockets: { shell: zmq.Dealer; control: zmq.Dealer; stdin: zmq.Dealer; iopub: zmq.Subscriber };
  private hb: zmq.Request;
  private readonly waiters = new Map<string, (msg: JupyterMessage | null) => void>();
  private readonly listeners = new Set<(msg: JupyterMessage) => void>();
  private readonly failureListeners = new Set<(error: Error) => void>();
  private closed = false;
  /** The first reader failure, if any. */
  failure: Error | null = null;

  constructor(private readonly info: ConnectionInfo) {
    this.codec = new MessageCodec(info.key);
    // linger 0: closing must never wait for a dead kernel to take queued messages.
    this.sockets = {
      shell: new zmq.Dealer({ linger: 0 }),
      control: new zmq.Dealer({ linger: 0 }),
      stdin: new zmq.Dealer({ linger: 0 }),
      // receiveHighWaterMark 0: no limit, so a burst of output is queued here, not dropped.
      iopub: new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 }),
    };
    this.sockets.iopub.subscribe();
    for (const ch of ['shell', 'control', 'stdin', 'iopub'] as const) {
      this.sockets[ch].connect(channelAddress(info, ch));
    }
    this.hb = this.newHeartbeat();
    void this.pump('shell', (m) => this.route(m));
    void this.pump('control', (m) => this.route(m));
    void this.pump('iopub', (m) => this.broadcast(m));
    // allow_stdin is always false, so stdin only needs draining.
    void this.pump('stdin', () => undefined);
  }

  private newHeartbeat(): zmq.Request {
    // relaxed + correlate: a ping that timed out does not wedge the REQ state machine.
    const hb = new zmq.Request({ linger: 0, relaxed: true, correlate: true });
    hb.connect(channelAddress(this.info, 'hb'));
    return hb;
  }

  /** Messages dropped for a bad signature. */
  get rejected(): number {
    return this.codec.rejected;
  }

  private async pump(
    channel: 'shell' | 'control' | 'iopub' | 'stdin',
    deliver: (msg: JupyterMessage) => void,
  ): Promise<void> {
    try {
      for await (const frames of this.sockets[channel]) {
        try {
          const msg = this.codec.decode(frames);
          if (msg) deliver(msg);
        } catch (e) {
          this.fail(`a message on ${channel} could not be handled: ${errorText(e)}`);
        }
      }
    } catch (e) {
      // Closing the client ends the loop with an error too; only other endings are failures.
      if (!this.closed) this.fail(`the ${channel} reader stopped: ${errorText(e)}`);
    }
  }

  private broadcast(msg: JupyterMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(msg);
      } catch (e) {
        this.fail(`an iopub listener failed on '${msg.header.msg_type}': ${errorText(e)}`);
      }
    }
  }

  private fail(detail: string): void {
    const error = new Error(detail);
    this.failure ??= error;
    for (const l of this.failureListeners) l(error);
  }

  /** Registers a listener for reader failures; returns the function that removes it. */
  onFailure(listener: (error: Error) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  private route(msg: JupyterMessage): void {
    const id = msg.parent_header.msg_id;
    const waiter = id ? this.waiters.get(id) : undefined;
    if (waiter && id) {
      this.waiters.delete(id);
      waiter(msg);
    }
  }

  /** Registers an iopub listener; returns the function that removes it. */
  onIopub(listener: (msg: JupyterMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends a request; `reply` resolves with the reply, or null after `timeoutMs` (Infinity: wait)
   * or when the client closes.
   */
  request(
    channel: RequestChannel,
    msgType: string,
    content: Record<string, unknown>,
    timeoutMs = Infinity,
  ): { msgId: string; reply: Promise<JupyterMessage | null> } {
    const msg = this.codec.create(msgType, content);
    const msgId = msg.header.msg_id;
    const reply = new Promise<JupyterMessage | null>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiters.set(msgId, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          this.waiters.delete(msgId);
          resolve(null);
        }, timeoutMs);
      }
    });
    if (!this.closed) {
      this.sockets[channel].send(this.codec.encode(msg)).catch(() => undefined);
    }
    return { msgId, reply };
  }

  /** True when the kernel echoes a heartbeat within `timeoutMs`. */
  async heartbeat(timeoutMs = 2000): Promise<boolean> {
    if (this.closed) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const ping = (async () => {
      await this.hb.send('ping');
      await this.hb.receive();
      return true;
    })().catch(() => false);
    const ok = await Promise.race([ping, timeout]);
    clearTimeout(timer);
    return ok;
  }

  /** Closes every socket; pending requests resolve with null. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...Object.values(this.sockets), this.hb]) s.close();
    // Nobody will answer now; release whoever waits.
    const waiting = [...this.waiters.values()];
    this.waiters.clear();
    for (const w of waiting) w(null);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
