/**
 * The error every argument check throws, in a module of its own so that code which must not
 * load tfjs (the notebook runner, the CLI harness) can recognise it.
 */

/** Thrown for bad arguments; `fn` and `arg` name the culprit. */
export class ArgumentError extends Error {
  constructor(
    readonly fn: string,
    readonly arg: string,
    expectation: string,
    actual: string,
  ) {
    super(`Error in ${fn}: ${arg} must ${expectation}, but got ${actual}`);
    this.name = 'ArgumentError';
  }
}
