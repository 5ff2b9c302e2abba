/** Errors the training loop raises, as classes with fields so callers can react to them. */

/**
 * The loss became NaN or Infinity. Raised before the bad gradients are applied, so the model
 * keeps the weights of the last finite step.
 *
 * @example
 * try { await train(opts); } catch (e) { if (isNonFiniteLossError(e)) console.log(e.step, e.lastFiniteLoss); }
 */
export class NonFiniteLossError extends Error {
  constructor(
    /** Global step (0-based) whose loss was not finite. */
    readonly step: number,
    readonly epoch: number,
    /** The value that was computed (NaN, Infinity or -Infinity). */
    readonly value: number,
    /** Loss of the last finite step; NaN when the very first step failed. */
    readonly lastFiniteLoss: number,
  ) {
    super(
      `Error in train: the loss became ${value} at step ${step} (epoch ${epoch}); ` +
        (Number.isNaN(lastFiniteLoss)
          ? 'no earlier step had a finite loss'
          : `the last finite loss was ${lastFiniteLoss}`) +
        '. Lower the learning rate, check the inputs for NaN, or check the loss options.',
    );
    this.name = 'NonFiniteLossError';
  }
}

export function isNonFiniteLossError(e: unknown): e is NonFiniteLossError {
  return e instanceof NonFiniteLossError;
}
