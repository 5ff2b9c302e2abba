/**
 * Connection files: five free ports on 127.0.0.1, a random key, written 0600 into a private
 * temporary directory (0700) so no other user can read the key and talk to the kernel.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const CHANNELS = ['shell', 'iopub', 'stdin', 'control', 'hb'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The JSON a kernel reads from {connection_file}. */
export interface ConnectionInfo {
  transport: 'tcp';
  ip: string;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

// Ports handed out by this process recently: two kernels starting at the same moment in one
// runner (--jobs) must not be given the same port between probe and bind.
const recentlyHanded = new Set<number>();

function probePort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Five distinct free ports. All five probe sockets are held open together so they differ;
 * another process may still take one before the kernel binds it, which the kernel start-up
 * detects and retries with fresh ports.
 *
 * @example
 * const ports = await freePorts(); // e.g. [41235, 41236, ...]
 */
export async function freePorts(count = CHANNELS.length): Promise<number[]> {
  const held: net.Server[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < count) {
      const server = await probePort();
      held.push(server);
      const port = (server.address() as net.AddressInfo).port;
      if (!recentlyHanded.has(port)) ports.push(port);
    }
  } finally {
    await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
  for (const p of ports) {
    recentlyHanded.add(p);
    // Forget after a minute: long enough for any kernel to have bound them.
    setTimeout(() => recentlyHanded.delete(p), 60_000).unref();
  }
  return ports;
}

// Connection folders not yet disposed: removed at exit, whatever way the runner ends.
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function removeAtExit(dir: string): void {
  liveDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const d of liveDirs) fs.rmSync(d, { recursive: true, force: true });
  });
}

/** A connection file on disk and the directory that holds it (removed by `dispose`). */
export interface ConnectionFile {
  info: ConnectionInfo;
  path: string;
  dispose(): void;
}

/**
 * Writes a fresh connection file with new ports and a random 256-bit key.
 *
 * @example
 * const conn = await writeConnectionFile('tslab');
 * // spawn the kernel with conn.path ... then
 * conn.dispose();
 */
export async function writeConnectionFile(kernelName: string): Promise<ConnectionFile> {
  const [shell, iopub, stdin, control, hb] = await freePorts();
  const info: ConnectionInfo = {
    transport: 'tcp',
    ip: '127.0.0.1',
    key: crypto.randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: kernelName,
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-kernel-'));
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'connection.json');
  fs.writeFileSync(file, JSON.stringify(info, null, 1), { mode: 0o600 });
  removeAtExit(dir);
  return {
    info,
    path: file,
    dispose: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
  };
}

/** The zmq address of one channel. */
export function channelAddress(info: ConnectionInfo, channel: Channel): string {
  return `${info.transport}://${info.ip}:${info[`${channel}_port`]}`;
}
