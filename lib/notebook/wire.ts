/**
 * The Jupyter wire format: routing identities, the '<IDS|MSG>' delimiter, an HMAC-SHA256
 * signature over header/parent/metadata/content, then the four JSON frames and raw buffers.
 * Only this module knows about frames and signing; everything above it sees `JupyterMessage`.
 */
import * as crypto from 'crypto';

/** The header every message carries (messaging spec 5.3). */
export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** A decoded message. `content` is left as plain JSON: each consumer narrows what it reads. */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

const DELIMITER = Buffer.from('<IDS|MSG>');
const PROTOCOL_VERSION = '5.3';

/**
 * Signs and verifies messages with one connection's key. A message whose signature does not
 * match is dropped (decode returns null) and counted in `rejected`, so a stray or forged
 * message can never reach the notebook.
 *
 * @example
 * const codec = new MessageCodec('secret', 'session-1');
 * const frames = codec.encode(codec.create('kernel_info_request', {}));
 * codec.decode(frames)?.header.msg_type; // 'kernel_info_request'
 */
export class MessageCodec {
  /** Messages dropped because of a bad or missing signature, or a malformed frame. */
  rejected = 0;
  private readonly key: Buffer;

  constructor(
    key: string,
    readonly session: string = crypto.randomUUID(),
  ) {
    // An empty key would turn signing off; tslab then rejects every message, and it would let
    // anyone on the host inject outputs, so the runner refuses it.
    if (!key) throw new Error('Error in MessageCodec: key must be a non-empty string, but got an empty string');
    this.key = Buffer.from(key, 'utf8');
  }

  /** A new request with a fresh msg_id, optionally answering `parent`. */
  create(msgType: string, content: Record<string, unknown>, parent?: MessageHeader): JupyterMessage {
    return {
      identities: [],
      header: {
        msg_id: crypto.randomUUID(),
        session: this.session,
        username: 'metriclab',
        date: new Date().toISOString(),
        msg_type: msgType,
        version: PROTOCOL_VERSION,
      },
      parent_header: parent ?? {},
      metadata: {},
      content,
      buffers: [],
    };
  }

  private sign(parts: Buffer[]): string {
    const hmac = crypto.createHmac('sha256', this.key);
    for (const p of parts) hmac.update(p);
    return hmac.digest('hex');
  }

  /** The frames to send: identities, delimiter, signature, four JSON frames, buffers. */
  encode(msg: JupyterMessage): Buffer[] {
    const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) =>
      Buffer.from(JSON.stringify(p), 'utf8'),
    );
    return [...msg.identities, DELIMITER, Buffer.from(this.sign(parts)), ...parts, ...msg.buffers];
  }

  /** Parses and verifies frames; null (and `rejected` + 1) when the signature or layout is bad. */
  decode(frames: Buffer[]): JupyterMessage | null {
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    if (at < 0 || frames.length < at + 6) return this.reject();
    const signature = frames[at + 1];
    const parts = frames.slice(at + 2, at + 6);
    const expected = Buffer.from(this.sign(parts));
    // Constant-time compare, so the signature cannot be guessed byte by byte from timings.
    if (signature.length !== expected.length || !crypto.timingSafeEqual(signature, expected)) return this.reject();
    try {
      const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString('utf8')) as unknown);
      return {
        identities: frames.slice(0, at),
        header: header as MessageHeader,
        parent_header: (parent ?? {}) as Partial<MessageHeader>,
        metadata: (metadata ?? {}) as Record<string, unknown>,
        content: (content ?? {}) as Record<string, unknown>,
        buffers: frames.slice(at + 6),
      };
    } catch {
      return this.reject();
    }
  }

  private reject(): null {
    this.rejected++;
    return null;
  }
}
