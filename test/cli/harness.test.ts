/**
 * The CLI harness every subcommand uses: parsing from the option table, --help made from the
 * same table, usage errors as one line with exit 2, and the subcommands wired through it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defineCommand, helpText, parseCommandLine, UsageError, type CliIo } from '../../lib/cli/harness';
import { command as course } from '../../lib/cli/course';
import { command as data } from '../../lib/cli/data';
import { command as info } from '../../lib/cli/info';
import { command as kernel } from '../../lib/cli/kernel';
import { command as parity } from '../../lib/cli/parity';
import { command as run } from '../../lib/cli/run';
import { command as train } from '../../lib/cli/train';

const OPTIONS = {
  epochs: { type: 'string', value: 'N', help: 'training epochs' },
  opt: { type: 'string', multiple: true, value: 'KEY=VALUE', help: 'repeatable\nsecond line' },
  parameter: { type: 'string', short: 'p', help: 'a parameter' },
  'no-plots': { type: 'boolean', help: 'skip plots' },
} as const;

function collect(): CliIo & { out: (t: string) => void; text: () => { out: string; err: string } } {
  const [out, err]: string[][] = [[], []];
  return {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    text: () => ({ out: out.join(''), err: err.join('') }),
  };
}

function usageMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof UsageError, `a UsageError, not ${String(e)}`);
    return e.message;
  }
  return assert.fail('no error');
}

describe('cli harness: parsing', () => {
  const parse = (...argv: string[]) => parseCommandLine('metriclab x', OPTIONS, argv, true);

  it('reads --name VALUE, --name=VALUE, short aliases, flags, repeats and positionals', () => {
    const r = parse('a.ipynb', '--epochs', '3', '--opt', 'm=1', '--opt=n=2', '-p', 'v', '--no-plots', '--', '--x');
    assert.deepEqual(r.values, { epochs: '3', opt: ['m=1', 'n=2'], parameter: 'v', 'no-plots': true });
    assert.deepEqual(r.positionals, ['a.ipynb', '--x']);
    assert.equal(parse('--epochs', '-1').values.epochs, '-1', 'a negative number is a value, left to the range check');
  });

  it('names the option and what was expected in one line', () => {
    const cases: [string[], string][] = [
      [['--bogus'], "Error in metriclab x: the option must be one that --help lists, but got '--bogus'"],
      [['-q'], "Error in metriclab x: the option must be one that --help lists, but got '-q'"],
      [['--epochs'], 'Error in metriclab x: --epochs must be followed by N, but got nothing'],
      [['--epochs', '--no-plots'], 'Error in metriclab x: --epochs must be followed by N, but got nothing'],
      [['--epochs', '1', '--epochs', '2'], "Error in metriclab x: --epochs must be given once, but got '1' and '2'"],
      [['--no-plots=yes'], "Error in metriclab x: --no-plots must be given without a value, but got 'yes'"],
    ];
    for (const [argv, message] of cases)
      assert.equal(
        usageMessage(() => parse(...argv)),
        message,
        argv.join(' '),
      );
    assert.equal(
      usageMessage(() => parseCommandLine('metriclab x', OPTIONS, ['stray'], false)),
      "Error in metriclab x: every argument must be an option (see --help), but got 'stray'",
    );
  });
});

describe('cli harness: commands', () => {
  const hello = defineCommand({
    name: 'hello',
    summary: 'greets',
    synopsis: '[options]',
    description: 'Says hello.',
    options: OPTIONS,
    epilog: () => 'Example:\n  metriclab hello --epochs 2',
    async run({ values }, io) {
      if (values.epochs === '0') throw new UsageError('metriclab hello', '--epochs', 'be at least 1', "'0'");
      io.out(`hello ${values.epochs ?? '?'}\n`);
      io.err('progress\n');
      return 0;
    },
  });

  it('--help lists every option of the table (and -h, --help) with its value name, then the epilog', async () => {
    const io = collect();
    assert.equal(await hello.run(['--epochs', '3', '--help'], io), 0);
    const { out, err } = io.text();
    assert.equal(err, '');
    assert.equal(out, helpText(hello.spec, 'Example:\n  metriclab hello --epochs 2') + '\n');
    for (const line of [
      'Usage: metriclab hello [options]',
      '  --epochs N             training epochs',
      '  --opt KEY=VALUE        repeatable',
      '                         second line',
      '  -p, --parameter VALUE  a parameter',
      '  --no-plots             skip plots',
      '  -h, --help             this text',
    ])
      assert.ok(out.split('\n').includes(line), `${line}\n---\n${out}`);
  });

  it('results on stdout, progress on stderr; a usage error is one line on stderr and exit 2', async () => {
    const ok = collect();
    assert.equal(await hello.run(['--epochs', '3'], ok), 0);
    assert.deepEqual(ok.text(), { out: 'hello 3\n', err: 'progress\n' });
    for (const argv of [['--bogus'], ['--epochs', '0']]) {
      const bad = collect();
      assert.equal(await hello.run(argv, bad), 2);
      const { out, err } = bad.text();
      assert.equal(out, '');
      assert.match(err, /^Error in metriclab hello: .* \(see metriclab hello --help\)\n$/);
    }
  });
});

describe('cli harness: every subcommand', function () {
  this.timeout(60000);
  const commands = { course, data, info, kernel, parity, run, train };

  it('answers --help from its option table with exit 0', async () => {
    for (const [name, cmd] of Object.entries(commands)) {
      const io = collect();
      assert.equal(await cmd.run(['--help'], io), 0, name);
      const { out } = io.text();
      assert.match(out, new RegExp(`^Usage: metriclab ${name} `), name);
      for (const option of Object.keys(cmd.spec.options))
        assert.match(out, new RegExp(`--${option}\\b`), `${name} --${option}`);
      assert.match(out, /^ {2}-h, --help +this text$/m, name);
    }
  });

  it('exits 2 with one line naming the option for an unknown option, before doing anything', async () => {
    for (const [name, cmd] of Object.entries(commands)) {
      const io = collect();
      assert.equal(await cmd.run(['--bogus'], io), 2, name);
      assert.equal(
        io.text().err,
        `Error in metriclab ${name}: the option must be one that --help lists, but got '--bogus' (see metriclab ${name} --help)\n`,
      );
      assert.equal(io.text().out, '', name);
    }
  });

  it('checks option values: course --jobs/--profile, kernel install, parity FILE', async () => {
    const cases: [{ run(argv: string[], io: CliIo): Promise<number> }, string[], string][] = [
      [course, ['--jobs', '0'], "Error in metriclab course: --jobs must be an integer >= 1, but got '0'"],
      [
        course,
        ['--profile', 'fast'],
        "Error in metriclab course: --profile must be one of 'quick', 'full', but got 'fast'",
      ],
      [course, ['--timeout', 'soon'], "Error in metriclab course: --timeout must be a number > 0, but got 'soon'"],
      [kernel, ['uninstall'], "Error in metriclab kernel: the subcommand must be 'install', but got 'uninstall'"],
      [
        kernel,
        ['install', '--prefix', '/tmp/x', '--user'],
        'Error in metriclab kernel: --prefix must not be used with --user',
      ],
      [kernel, ['install', '--name'], 'Error in metriclab kernel: --name must be followed by NAME, but got nothing'],
      [parity, [], 'Error in metriclab parity: FILE must be one fixture file, but got 0 arguments'],
      [run, ['-p', 'seed'], 'Error in metriclab run: --parameter must be followed by NAME and VALUE, but got nothing'],
      [run, ['--jobs', '0', 'a.ipynb'], 'Error in metriclab run: --jobs must be a positive integer, but got 0'],
      [run, [], 'Error in metriclab run: NOTEBOOK must be given (a notebook or folder), but got nothing'],
    ];
    for (const [cmd, argv, message] of cases) {
      const io = collect();
      assert.equal(await cmd.run(argv, io), 2, argv.join(' '));
      assert.ok(io.text().err.startsWith(message), `${argv.join(' ')}: ${io.text().err}`);
      assert.equal(io.text().err.split('\n').length, 2, 'one line');
    }
  });

  it('kernel install --prefix writes the kernelspec and says where on stdout', async () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-harness-kernel-'));
    try {
      const io = collect();
      assert.equal(await kernel.run(['install', '--prefix', prefix, '--name', 'mltest'], io), 0, io.text().err);
      const dir = path.join(prefix, 'share', 'jupyter', 'kernels', 'mltest');
      assert.equal(io.text().out, `Installed kernelspec 'mltest' in ${dir}\n`);
      assert.ok(fs.existsSync(path.join(dir, 'kernel.json')));
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });
});
