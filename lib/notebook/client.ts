/**
 * The client side of the five kernel channels over ZeroMQ: shell and control (Dealer), iopub
 * (Subscriber to everything), stdin (Dealer), heartbeat (Request). Replies are routed to their
 * request by parent msg_id; iopub messages go to listeners. Signing lives in wire.ts.
 */
import * as zmq from 'zeromq';
import { channelAddress, type ConnectionInfo } from './connection';
import { MessageCodec, type JupyterMessage } from './wire';

export type RequestChannel = 'shell' | 'control';

/**
 * Connected sockets for one kernel.
 *
 * @example
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
  private closed = false;

  constructor(private readonly info: ConnectionInfo) {
    this.codec = new MessageCodec(info.key);
    // linger 0: closing must never wait for a dead kernel to take queued messages.
    this.sockets = {
      shell: new zmq.Dealer({ linger: 0 }),
      control: new zmq.Dealer({ linger: 0 }),
      stdin: new zmq.Dealer({ linger: 0 }),
      iopub: new zmq.Subscriber({ linger: 0 }),
    };
    this.sockets.iopub.subscribe();
    for (const ch of ['shell', 'control', 'stdin', 'iopub'] as const) {
      this.sockets[ch].connect(channelAddress(info, ch));
    }
    this.hb = this.newHeartbeat();
    void this.pump(this.sockets.shell, (m) => this.route(m));
    void this.pump(this.sockets.control, (m) => this.route(m));
    void this.pump(this.sockets.iopub, (m) => this.listeners.forEach((l) => l(m)));
    // allow_stdin is always false, so stdin only needs draining.
    void this.pump(this.sockets.stdin, () => undefined);
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

  private async pump(socket: zmq.Dealer | zmq.Subscriber, deliver: (msg: JupyterMessage) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        const msg = this.codec.decode(frames);
        if (msg) deliver(msg);
      }
    } catch {
      // The socket was closed while receiving: the client is shutting down.
    }
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
