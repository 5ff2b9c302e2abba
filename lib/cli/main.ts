/**
 * `metriclab <command> [options]`: dispatches to one module per command, loaded on demand so
 * that `metriclab run` does not pay for tfjs start-up and `metriclab info` does not load the runner.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../package-root';

export interface Command {
  summary: string;
  /** Runs the command; resolves with the process exit code. */
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  info: async () => (await import('./info.js')).command,
  data: async () => (await import('./data.js')).command,
  parity: async () => (await import('./parity.js')).command,
  train: async () => (await import('./train.js')).command,
  run: async () => (await import('./run.js')).command,
  course: async () => (await import('./course.js')).command,
  kernel: async () => (await import('./kernel.js')).command,
};

function usage(summaries: Record<string, string>): string {
  const lines = Object.entries(summaries).map(([name, s]) => `  ${name.padEnd(8)} ${s}`);
  return [
    'Usage: metriclab <command> [options]',
    '',
    '       metriclab --version',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `metriclab <command> --help` for a command's options.",
  ].join('\n');
}

/** The installed package's version, read from its package.json (one source of truth). */
function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(packageVersion());
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const summaries: Record<string, string> = {};
    for (const [n, load] of Object.entries(COMMANDS)) summaries[n] = (await load()).summary;
    console.log(usage(summaries));
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`metriclab: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  return (await load()).run(rest);
}
