/**
 * Turns iopub messages into nbformat outputs the way nbclient does: streams (consecutive ones of
 * the same name merged), display_data, update_display_data by display_id (across cells),
 * execute_result, error, clear_output (wait=true deferred until the next output).
 */
import type { JupyterMessage } from './wire';

export type MimeBundle = Record<string, string | string[] | Record<string, unknown>>;

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}
export interface DisplayOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ResultOutput {
  output_type: 'execute_result';
  data: MimeBundle;
  metadata: Record<string, unknown>;
  execution_count: number | null;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayOutput | ResultOutput | ErrorOutput;

/**
 * Collects the outputs of every cell of one notebook run; one instance per run so that a
 * display created in cell 2 can be updated from cell 5.
 *
 * @example
 * const collector = new OutputCollector();
 * const outputs: Output[] = [];
 * collector.handle(outputs, msg); // for each iopub message of the cell
 */
export class OutputCollector {
  private readonly displays = new Map<string, Array<DisplayOutput | ResultOutput>>();
  private clearPending = false;

  /** Applies one iopub message to the cell's `outputs`; returns true if it changed them. */
  handle(outputs: Output[], msg: JupyterMessage): boolean {
    const c = msg.content;
    const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
    switch (msg.header.msg_type) {
      case 'stream': {
        const name = c.name === 'stderr' ? 'stderr' : 'stdout';
        this.applyPendingClear(outputs);
        const last = outputs[outputs.length - 1];
        if (last?.output_type === 'stream' && last.name === name) last.text += String(c.text ?? '');
        else outputs.push({ output_type: 'stream', name, text: String(c.text ?? '') });
        return true;
      }
      case 'display_data':
      case 'execute_result': {
        this.applyPendingClear(outputs);
        const base = { data: (c.data ?? {}) as MimeBundle, metadata: (c.metadata ?? {}) as Record<string, unknown> };
        const out: DisplayOutput | ResultOutput =
          msg.header.msg_type === 'display_data'
            ? { output_type: 'display_data', ...base }
            : { output_type: 'execute_result', ...base, execution_count: (c.execution_count as number) ?? null };
        if (displayId) this.displays.set(displayId, [...(this.displays.get(displayId) ?? []), out]);
        outputs.push(out);
        return true;
      }
      case 'update_display_data': {
        // Updates change earlier outputs in place, wherever they are; nothing is appended.
        const targets = displayId ? (this.displays.get(displayId) ?? []) : [];
        for (const t of targets) {
          t.data = (c.data ?? {}) as MimeBundle;
          t.metadata = (c.metadata ?? {}) as Record<string, unknown>;
        }
        return targets.length > 0;
      }
      case 'error':
        this.applyPendingClear(outputs);
        outputs.push({
          output_type: 'error',
          ename: String(c.ename ?? ''),
          evalue: String(c.evalue ?? ''),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        return true;
      case 'clear_output':
        if (c.wait) {
          this.clearPending = true;
          return false;
        }
        this.clear(outputs);
        return true;
      default:
        // status, execute_input, comm messages...: not outputs.
        return false;
    }
  }

  /** Called when a cell ends: a deferred clear never leaks into the next cell. */
  endCell(): void {
    this.clearPending = false;
  }

  private applyPendingClear(outputs: Output[]): void {
    if (!this.clearPending) return;
    this.clearPending = false;
    this.clear(outputs);
  }

  private clear(outputs: Output[]): void {
    const removed = new Set<Output>(outputs);
    outputs.length = 0;
    // Cleared displays can no longer be updated (nbclient's clear_display_id_mapping).
    for (const [id, list] of this.displays) {
      this.displays.set(
        id,
        list.filter((o) => !removed.has(o)),
      );
    }
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Removes ANSI colour/cursor codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * tslab reports a failure only as stderr text plus an error execute_reply; this builds the
 * 'error' output nbclient would have received from a kernel that sends one. ename/evalue come
 * from the first 'Name: message' line (thrown errors) or name the TypeScript diagnostics.
 *
 * @example
 * synthesizeError('1:7 - Type \'string\' is not assignable to type \'number\'.\n');
 * // { output_type: 'error', ename: 'TypeScriptError', evalue: "1:7 - Type 'string' is not …", traceback: [...] }
 */
export function synthesizeError(stderrText: string): ErrorOutput {
  // tslab's own frames (vm, its executor) say nothing about the user's code.
  const lines = stripAnsi(stderrText)
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s+at .*(node:vm|tslab[\\/]dist|sigintHandlersWrap)/.test(l));
  const thrown = lines
    .map((l) => /^(?:Uncaught )?((?:[A-Za-z_$][\w$]*)?(?:Error|Exception))(?:: (.*))?$/.exec(l))
    .find(Boolean);
  if (thrown) {
    return { output_type: 'error', ename: thrown[1], evalue: thrown[2] ?? '', traceback: lines };
  }
  const diagnostics = lines.filter((l) => /^(?:\S+ )?\d+:\d+ - /.test(l));
  if (diagnostics.length) {
    return { output_type: 'error', ename: 'TypeScriptError', evalue: diagnostics.join('\n'), traceback: lines };
  }
  return {
    output_type: 'error',
    ename: 'Error',
    evalue: lines[lines.length - 1] ?? 'the kernel reported an error without a message',
    traceback: lines,
  };
}
