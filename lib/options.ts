/**
 * One options object per loss and miner: its interface declares each option once; a table of
 * option kinds, checked against that interface by the compiler, lets the factory refuse unknown
 * names and lets the command line (`metriclab train --loss-opt key=value`) list and set options.
 */
import { fail } from './validate';

/**
 * What an option takes. 'number', 'boolean', 'string' and a list of allowed strings (a literal
 * union such as a reduction) can be written on a command line; 'seed' is a number or a Random;
 * 'object' (a Distance, a loss, a miner) can only be given from code.
 */
export type OptionKind = 'number' | 'boolean' | 'string' | readonly string[] | 'seed' | 'object';

/** One kind per option of T, all of them: a missing or extra name is a compile error. */
export type OptionKinds<T> = { readonly [K in keyof Required<T>]: OptionKind };

/** The options a loss or miner keeps after validation: every one filled in. */
export type Resolved<T> = Readonly<Required<T>>;

/** The option kinds of a factory, as the command line shows them: `margin (number)`. */
export type OptionTable = Readonly<Record<string, OptionKind>>;

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/**
 * Checks that `options` is an object (or undefined when nothing is `required`) naming only
 * options of `kinds`, with a true/false for each boolean one; ranges and literal values are the
 * factory's own checks.
 *
 * @example
 * const fromJson = JSON.parse('{ "margn": 0.1 }') as { margin?: number };
 * try {
 *   checkOptions('tripletMargin', fromJson, { margin: 'number' });
 * } catch (e) {
 *   (e as Error).message; // "Error in tripletMargin: options must name only margin, but got 'margn'"
 * }
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  kinds: OptionKinds<T>,
  required: readonly (keyof T & string)[] = [],
): void {
  if (options === undefined && required.length === 0) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const what = required.length ? `be an object with ${required.join(', ')}` : 'be an object';
    fail(fn, 'options', what, Array.isArray(options) ? 'an array' : describe(options));
  }
  const table = kinds as OptionTable;
  for (const [name, value] of Object.entries(options)) {
    const kind = table[name];
    if (kind === undefined) fail(fn, 'options', `name only ${Object.keys(table).join(', ')}`, `'${name}'`);
    if (kind === 'boolean' && value !== undefined && typeof value !== 'boolean') {
      fail(fn, name, 'be true or false', describe(value));
    }
  }
}

/**
 * `defaults` overridden by the options that are given; an option set to undefined keeps its
 * default (as destructuring defaults do).
 *
 * @example
 * withDefaults<{ margin?: number; swap?: boolean }>({ margin: 0.2, swap: false }, { margin: undefined, swap: true });
 * // { margin: 0.2, swap: true }
 */
export function withDefaults<T extends object>(defaults: Required<T>, options: T | undefined): Required<T> {
  const out = { ...defaults };
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value !== undefined) (out as Record<string, unknown>)[name] = value;
  }
  return out;
}
