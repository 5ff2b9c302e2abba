/**
 * The headless notebook runner: Jupyter messaging over ZeroMQ (wire.ts, client.ts), kernel
 * processes and kernelspecs (kernel-process.ts, kernelspec.ts, kernel.ts), the cell executor
 * (executor.ts, outputs.ts), notebook I/O (nbformat.ts, parameters.ts) and reports (report.ts,
 * junit.ts, html.ts).
 *
 * @example
 * import { runNotebook, formatFailure } from 'metriclab/runner';
 * const r = await runNotebook('notebooks/01-intro.ipynb', { outputPath: 'out/01-intro.ipynb', timeout: 600 });
 * if (r.error) console.error(formatFailure(r));
 */
export { runNotebook } from './run-notebook';
export type { RunOptions, RunResult, RunHooks, CellEvent } from './run-notebook';
export { runNotebooks, shardOf } from './run-many';
export type { RunManyOptions } from './run-many';
export {
  CellExecutionError,
  CellTimeoutError,
  IopubTimeoutError,
  KernelDiedError,
  KernelStartError,
  NotebookFormatError,
  OutputWriteError,
  RunInterruptedError,
  exitCodeFor,
  isCellExecutionError,
  isCellTimeoutError,
  isIopubTimeoutError,
  isKernelDiedError,
  isKernelStartError,
  isNotebookFormatError,
  isOutputWriteError,
  isRunInterruptedError,
} from './errors';
export type { RunError, ExitCode } from './errors';
export { readNotebook, parseNotebook, writeNotebook, serializeNotebook, cellTags } from './nbformat';
export type { Notebook, NotebookCell } from './nbformat';
export type { Output, StreamOutput, DisplayOutput, ResultOutput, ErrorOutput, MimeBundle } from './outputs';
export { injectParameters, parseParameterValue } from './parameters';
export type { ParameterValue } from './parameters';
export {
  findKernelSpec,
  builtinTslabSpec,
  jupyterDataDirs,
  jupyterDataDir,
  NoSuchKernelError,
  isNoSuchKernelError,
} from './kernelspec';
export type { KernelSpec } from './kernelspec';
export { installKernelSpec, KernelSpecExistsError } from './kernel-install';
export { NotebookSaver } from './saver';
export { Kernel } from './kernel';
export { MessageCodec } from './wire';
export type { JupyterMessage, MessageHeader } from './wire';
export { formatFailure, progressLine } from './report';
export { junitXml, writeJunit } from './junit';
export { notebookToHtml, writeSite, writeRunSite } from './html';
export type { SiteEntry } from './html';
