/**
 * The kernel as an operating-system process: spawned in its own process group (so signals and
 * the final kill reach everything it started), its stderr kept for reports, its exit observed.
 * A process-exit hook kills any group still alive, so the runner never leaves orphans behind.
 */
import { spawn, type ChildProcess } from 'child_process';

/** How the process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // The group is gone (ESRCH): nothing to do.
    return false;
  }
}

const TAIL_BYTES = 16_384;
const DRAIN_GRACE_MS = 500;

/**
 * A spawned kernel process.
 *
 * @example
 * const p = KernelProcess.spawn(['python3', '-m', 'ipykernel_launcher', '-f', 'kernel-1.json'], { cwd: '.' }); // a connection file
 * await p.stop(2000); // SIGTERM, then SIGKILL after 2 s
 */
export class KernelProcess {
  /** Resolves once when the process exits. */
  readonly exited: Promise<ProcessExit>;
  private exitInfo: ProcessExit | null = null;
  private stderrBuf = '';

  private constructor(
    private readonly child: ChildProcess,
    onOutput?: (text: string) => void,
  ) {
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      this.stderrBuf = (this.stderrBuf + text).slice(-TAIL_BYTES);
      onOutput?.(text);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // Resolved once the process exited AND its pipes were drained (or after a short grace, in
    // case a grandchild holds them open): the last words of a crashing kernel are kept.
    const drained = Promise.all(
      [child.stdout, child.stderr].map((s) => (s ? new Promise<void>((r) => s.once('close', () => r())) : null)),
    );
    let ended = false;
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (ended) return;
        ended = true;
        const info = { code, signal };
        if (child.pid) liveGroups.delete(child.pid);
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((r) => (timer = setTimeout(r, DRAIN_GRACE_MS)));
        void Promise.race([drained, grace]).then(() => {
          clearTimeout(timer);
          this.exitInfo = info;
          resolve(info);
        });
      };
      child.once('exit', done);
      child.once('error', () => done(127, null));
    });
  }

  static spawn(
    argv: string[],
    { cwd, env, onOutput }: { cwd: string; env?: NodeJS.ProcessEnv; onOutput?: (text: string) => void },
  ): KernelProcess {
    installExitHook();
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: env ?? process.env,
      // Own process group: the kill reaches the kernel's children, and a Ctrl-C in the
      // runner's terminal does not hit the kernel behind the runner's back.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid) liveGroups.add(child.pid);
    return new KernelProcess(child, onOutput);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Null while running. */
  get exit(): ProcessExit | null {
    return this.exitInfo;
  }

  /** The last ~16 KB the kernel wrote to stdout/stderr. */
  get outputTail(): string {
    return this.stderrBuf;
  }

  /** Sends a signal to the whole process group; false when it is already gone. */
  signal(sig: NodeJS.Signals): boolean {
    if (this.exitInfo || !this.child.pid) return false;
    return killGroup(this.child.pid, sig);
  }

  /** Waits up to `ms` for the exit; true if it exited. */
  async waitExit(ms: number): Promise<boolean> {
    if (this.exitInfo) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const ok = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return ok;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 3000): Promise<ProcessExit> {
    if (!this.exitInfo) {
      this.signal('SIGTERM');
      if (!(await this.waitExit(graceMs))) {
        this.signal('SIGKILL');
        await this.waitExit(5000);
      }
    }
    // Children of the kernel may outlive it in the group; make sure they go too.
    if (this.child.pid) killGroup(this.child.pid, 'SIGKILL');
    return this.exited;
  }
}
