import { defineCommand, UsageError } from './harness';
import { ready } from '../backend';
import { ParityFileError, runParityFile } from '../parity';

export const command = defineCommand({
  name: 'parity',
  summary: 'check losses, miners and metrics against a reference fixture file',
  synopsis: 'FILE',
  description: `Runs every case of a parity fixture (the format of test/fixtures/parity.json, or of
test/fixtures/xbm-parity.json: format metriclab-parity-xbm/1, cross-batch memory) through the library
and prints one line per case: kind/name, seed, error, PASS or FAIL (with what differed).
Ends with 'N passed, N failed'. Exit status: 0 all passed, 1 any failure, 2 unreadable file.`,
  options: {},
  positionals: true,
  async run({ positionals }, io) {
    if (positionals.length !== 1) {
      throw new UsageError('metriclab parity', 'FILE', 'be one fixture file', `${positionals.length} arguments`);
    }
    await ready();
    let report;
    try {
      report = runParityFile(positionals[0]);
    } catch (e) {
      if (e instanceof ParityFileError) {
        io.err(`${e.message}\n`);
        return 2;
      }
      throw e;
    }
    for (const r of report.results) {
      const error = Number.isNaN(r.error) ? 'n/a' : r.error.toExponential(2);
      const line = `${`${r.kind}/${r.name}`.padEnd(36)} seed ${String(r.seed ?? '-').padEnd(5)} error ${error.padEnd(9)} ${r.passed ? 'PASS' : 'FAIL'}`;
      io.out(`${r.passed || !r.detail ? line : `${line}  ${r.detail}`}\n`);
    }
    io.out(`${report.passed} passed, ${report.failed} failed\n`);
    return report.failed > 0 ? 1 : 0;
  },
});
