/**
 * One harness for every `metriclab` subcommand: a table of options drives both the parser and
 * the `--help` text, so they cannot disagree; a usage error (an unknown option, a missing or
 * bad value) prints one line naming the option and what was expected, and exits 2; results go
 * to stdout, errors and progress to stderr.
 */
import type { Command } from './main';
import { ArgumentError } from '../argument-error';

/** One command-line option: `--name VALUE` ('string') or a flag `--name` ('boolean'). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** A one-letter alias: `-p` for `--parameter`. */
  short?: string;
  /** May be given more than once; the values are collected in order. */
  multiple?: boolean;
  /** Takes two values, `-p NAME VALUE` (collected in order as [name, value] pairs; implies multiple). */
  pair?: boolean;
  /** How the value is written in --help: 'N', 'DIR', 'KEY=VALUE' (default 'VALUE'). */
  value?: string;
  /** The --help text; later lines are indented under the first. */
  help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed values: a string (or string[] when `multiple`) per option given, `true` per flag. */
export type ParsedValues<O extends OptionSpecs> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean'
    ? true
    : O[K]['pair'] extends true
      ? [string, string][]
      : O[K]['multiple'] extends true
        ? string[]
        : string;
};

/** Where a command writes: results to `out`, errors and progress to `err` (each text ends its own lines). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

/** A bad command line: `metriclab` prints the message and exits 2. */
export class UsageError extends Error {
  constructor(
    /** The command, e.g. 'metriclab train'. */
    readonly command: string,
    /** The option (or argument) at fault, e.g. '--epochs'. */
    readonly option: string,
    /** What was expected, as 'must ...' completes it: 'be followed by a value'. */
    expectation: string,
    actual: string,
  ) {
    super(`Error in ${command}: ${option} must ${expectation}, but got ${actual}`);
    this.name = 'UsageError';
  }
}

export interface CommandSpec<O extends OptionSpecs> {
  /** The subcommand: 'train'. */
  name: string;
  /** One line for `metriclab --help`. */
  summary: string;
  /** What follows `metriclab NAME` in the usage line: '[options] NOTEBOOK...'. */
  synopsis: string;
  /** Paragraphs between the usage line and the options. */
  description?: string;
  options: O;
  /** Positional arguments (shown in the synopsis); without this any positional is a usage error. */
  positionals?: boolean;
  /** Text after the options: examples, exit codes, computed lists. */
  epilog?: () => string | Promise<string>;
  /** Runs the command on a parsed command line; resolves with the exit code. */
  run(args: { values: ParsedValues<O>; positionals: string[] }, io: CliIo): Promise<number>;
}

function quote(text: string): string {
  return `'${text}'`;
}

/**
 * Parses `argv` against the option table: `--name VALUE`, `--name=VALUE`, `-x VALUE`, flags,
 * `--` before positionals. A value may start with '-' (`--lr -1` reaches the range check) but
 * not with '--' (so `--out --epochs 3` says --out lacks its value).
 *
 * @example
 * parseCommandLine('metriclab x', { n: { type: 'string', help: 'n' } }, ['--n', '3'], false).values.n; // '3'
 */
export function parseCommandLine<O extends OptionSpecs>(
  command: string,
  options: O,
  argv: readonly string[],
  positionalsAllowed: boolean,
): { values: ParsedValues<O>; positionals: string[] } {
  const values: Record<string, string | string[] | [string, string][] | true> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(options)
      .filter(([, s]) => s.short)
      .map(([name, s]) => [`-${s.short}`, name]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      if (!positionalsAllowed) throw new UsageError(command, 'every argument', 'be an option (see --help)', quote(arg));
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const name = flag.startsWith('--') ? flag.slice(2) : byShort.get(flag);
    const spec = name === undefined ? undefined : options[name];
    if (name === undefined || spec === undefined) {
      throw new UsageError(command, 'the option', 'be one that --help lists', quote(flag));
    }
    const shown = `--${name}`;
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(command, shown, 'be given without a value', quote(arg.slice(eq + 1)));
      values[name] = true;
      continue;
    }
    const takeValue = (what: string): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(command, shown, `be followed by ${what}`, 'nothing');
      i++;
      return next;
    };
    if (spec.pair) {
      const [first, second] = (spec.value ?? 'NAME VALUE').split(' ');
      const pairs = (values[name] as [string, string][] | undefined) ?? [];
      const key = takeValue(first);
      pairs.push([key, takeValue(`${first} and ${second}`)]);
      values[name] = pairs;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(command, shown, `be followed by ${spec.value ?? 'a value'}`, 'nothing');
      }
      value = next;
      i++;
    }
    if (spec.multiple) {
      const list = (values[name] as string[] | undefined) ?? [];
      list.push(value);
      values[name] = list;
    } else if (name in values) {
      throw new UsageError(command, shown, 'be given once', `${quote(String(values[name]))} and ${quote(value)}`);
    } else values[name] = value;
  }
  return { values: values as ParsedValues<O>, positionals };
}

/**
 * The --help text of a command, generated from its option table (so every option is listed).
 *
 * @example
 * helpText({ name: 'data', summary: 's', synopsis: '[--json]', options: {}, run: async () => 0 }, '');
 */
export function helpText<O extends OptionSpecs>(spec: CommandSpec<O>, epilog: string): string {
  const entries = Object.entries(spec.options).map(([name, s]) => {
    const short = s.short ? `-${s.short}, ` : '';
    const value = s.type === 'string' ? ` ${s.value ?? (s.pair ? 'NAME VALUE' : 'VALUE')}` : '';
    return { left: `${short}--${name}${value}`, help: s.help };
  });
  entries.push({ left: '-h, --help', help: 'this text' });
  const width = Math.max(...entries.map((e) => e.left.length)) + 2;
  const lines = [`Usage: metriclab ${spec.name} ${spec.synopsis}`, ''];
  if (spec.description) lines.push(spec.description, '');
  lines.push('Options:');
  for (const e of entries) {
    const [first, ...rest] = e.help.split('\n');
    lines.push(`  ${e.left.padEnd(width)}${first}`);
    for (const r of rest) lines.push(`  ${' '.repeat(width)}${r}`);
  }
  if (epilog) lines.push('', epilog);
  return lines.join('\n');
}

/**
 * The integer in an option's text, at least `min`; a usage error naming the option otherwise.
 *
 * @example
 * integerOption('metriclab course', '--jobs', '2', 1); // 2
 */
export function integerOption(command: string, option: string, text: string, min: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) {
    throw new UsageError(command, option, `be an integer >= ${min}`, quote(text));
  }
  return n;
}

/**
 * The positive number in an option's text; a usage error naming the option otherwise.
 *
 * @example
 * positiveOption('metriclab course', '--timeout', '30'); // 30
 */
export function positiveOption(command: string, option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(command, option, 'be a number > 0', quote(text));
  }
  return n;
}

/**
 * An option's text when it is one of `allowed`; a usage error listing them otherwise.
 *
 * @example
 * oneOfOption('metriclab course', '--profile', 'full', ['quick', 'full'] as const); // 'full'
 */
export function oneOfOption<T extends string>(command: string, option: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new UsageError(command, option, `be one of ${allowed.map(quote).join(', ')}`, quote(text));
  }
  return text as T;
}

/** Whether an error is a usage error: the harness's own, or a bad argument named by a check in lib/validate. */
function isUsageError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof ArgumentError;
}

/**
 * Turns a command spec into a `metriclab` command: --help, parsing, usage errors (exit 2, one
 * line on stderr), then `spec.run`. `io` lets tests capture the output.
 *
 * @example
 * const command = defineCommand({ name: 'hello', summary: 'greets', synopsis: '[--name N]',
 *   options: { name: { type: 'string', value: 'N', help: 'who' } },
 *   run: async ({ values }, io) => (io.out(`hello ${values.name ?? 'world'}\n`), 0) });
 */
export function defineCommand<O extends OptionSpecs>(
  spec: CommandSpec<O>,
): Command & {
  spec: CommandSpec<O>;
  help(): Promise<string>;
  run(argv: string[], io?: CliIo): Promise<number>;
} {
  const help = async (): Promise<string> => helpText(spec, spec.epilog ? await spec.epilog() : '');
  return {
    spec,
    summary: spec.summary,
    help,
    async run(argv: string[], io: CliIo = processIo): Promise<number> {
      // --help wins wherever it is (before --, which starts positionals).
      const end = argv.indexOf('--');
      const head = end >= 0 ? argv.slice(0, end) : argv;
      if (head.includes('--help') || head.includes('-h')) {
        io.out((await help()) + '\n');
        return 0;
      }
      try {
        const parsed = parseCommandLine(`metriclab ${spec.name}`, spec.options, argv, !!spec.positionals);
        return await spec.run(parsed, io);
      } catch (e) {
        if (!isUsageError(e)) throw e;
        io.err(`${e.message} (see metriclab ${spec.name} --help)\n`);
        return 2;
      }
    },
  };
}
