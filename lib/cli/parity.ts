import type { Command } from './main';
import { ready } from '../backend';
import { ParityFileError, runParityFile } from '../parity';

const USAGE = `Usage: metriclab parity FILE

Runs every case of a parity fixture (the format of test/fixtures/parity.json, or of
test/fixtures/xbm-parity.json: format metriclab-parity-xbm/1, cross-batch memory) through the library
and prints one line per case: kind/name, seed, error, PASS or FAIL (with what differed).
Ends with 'N passed, N failed'. Exit status: 0 all passed, 1 any failure, 2 unreadable file.`;

export const command: Command = {
  summary: 'check losses, miners and metrics against a reference fixture file',
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    if (args.length !== 1) {
      console.error(USAGE);
      return 2;
    }
    await ready();
    let report;
    try {
      report = runParityFile(args[0]);
    } catch (e) {
      if (e instanceof ParityFileError) {
        console.error(e.message);
        return 2;
      }
      throw e;
    }
    for (const r of report.results) {
      const error = Number.isNaN(r.error) ? 'n/a' : r.error.toExponential(2);
      const line = `${`${r.kind}/${r.name}`.padEnd(36)} seed ${String(r.seed ?? '-').padEnd(5)} error ${error.padEnd(9)} ${r.passed ? 'PASS' : 'FAIL'}`;
      console.log(r.passed || !r.detail ? line : `${line}  ${r.detail}`);
    }
    console.log(`${report.passed} passed, ${report.failed} failed`);
    return report.failed > 0 ? 1 : 0;
  },
};
