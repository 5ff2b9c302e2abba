/**
 * Writing the executed notebook during a run: at most one write per interval while outputs
 * stream in (a cell printing 10,000 lines must not rewrite the file 10,000 times), one at each
 * cell's end and one at exit. Writes happen on a timer, never inside the message handler, and
 * a failed write is kept as `error` for the run to report (exit 2) instead of throwing there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeDirs, serializeNotebook, writeNotebookText, type Notebook } from './nbformat';

/**
 * Throttled, serialized notebook writes.
 *
 * @example
 * const saver = new NotebookSaver('out/a.ipynb', () => nb);
 * saver.request();       // soon (at most once a second)
 * await saver.flush();   // now
 * if (saver.error) console.error(saver.error.message);
 */
export class NotebookSaver {
  /** The first failed write; later writes are skipped. */
  error: Error | null = null;
  /** Completed writes. */
  writes = 0;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private lastWrite = 0;

  constructor(
    readonly file: string,
    private readonly snapshot: () => Notebook,
    private readonly intervalMs = 1000,
  ) {}

  /** Asks for a write within the interval; cheap to call on every message. */
  request(): void {
    if (this.timer || this.error) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  /** Writes the notebook as it is now (after any write in progress). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.error) return this.queue;
    // The interval counts from when a write is asked for, not from when it ends: a request
    // arriving while a slow write (a big notebook, a busy disk) is still going must not queue
    // another write at once.
    this.lastWrite = Date.now();
    const text = serializeNotebook(this.snapshot());
    this.queue = this.queue.then(async () => {
      if (this.error) return;
      try {
        await writeNotebookText(this.file, text);
        this.writes++;
      } catch (e) {
        this.error = new Error(describeFsError(e));
      }
    });
    return this.queue;
  }
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code} (${err.message})` : String(e);
}

/**
 * Null when `file` can be written (its folder is created if needed and a probe file written
 * and removed there), else why not: checked before a kernel starts, so an unwritable --out
 * fails in milliseconds with exit 2.
 *
 * @example
 * writeProblem('/proc/x/a.ipynb'); // 'ENOENT (...)'
 */
export function writeProblem(file: string): string | null {
  try {
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) return 'it is a directory';
    const dir = path.dirname(path.resolve(file));
    makeDirs(dir);
    const probe = path.join(dir, `.metriclab-probe-${process.pid}-${Date.now()}`);
    fs.writeFileSync(probe, '', { flag: 'wx' });
    fs.rmSync(probe, { force: true });
    return null;
  } catch (e) {
    return describeFsError(e);
  }
}

/** The path with symlinks resolved; for a file not yet there, its folder's real path + its name. */
function realPath(file: string): string {
  const abs = path.resolve(file);
  try {
    return fs.realpathSync(abs);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Whether writing `output` would overwrite `input` (same path after resolving links, or the
 * same file through a hard link).
 *
 * @example
 * sameFile('nb/a.ipynb', './nb/../nb/a.ipynb'); // true
 */
export function sameFile(output: string, input: string): boolean {
  if (realPath(output) === realPath(input)) return true;
  try {
    const [a, b] = [fs.statSync(output), fs.statSync(input)];
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}
