/**
 * `metriclab kernel install [--user | --prefix P] [--name N] [--force]`: registers this
 * package's tslab with Jupyter ("TypeScript (metriclab)"), with no Python needed.
 */
import type { Command } from './main';
import { KernelSpecExistsError, installKernelSpec } from '../notebook/kernel-install';

const USAGE = `Usage: metriclab kernel install [--user | --prefix PREFIX] [--name NAME] [--force]

Writes a Jupyter kernelspec (display name 'TypeScript (metriclab)') that starts this package's
tslab. --user (default): the user's Jupyter data folder ($JUPYTER_DATA_DIR, ~/.local/share/jupyter,
~/Library/Jupyter or %APPDATA%\\jupyter) under kernels/; --prefix PREFIX: PREFIX/share/jupyter/kernels.
--name NAME: the kernelspec's name (default 'tslab'). A kernelspec of that name that metriclab
did not write (tslab's own) is left alone unless --force.`;

export const command: Command = {
  summary: "install a 'tslab' Jupyter kernelspec for this package (no Python needed)",
  async run(args: string[]): Promise<number> {
    if (args.includes('-h') || args.includes('--help')) {
      console.log(USAGE);
      return 0;
    }
    const [sub, ...rest] = args;
    if (sub !== 'install') {
      console.error(`metriclab kernel: expected 'install', but got ${sub ? `'${sub}'` : 'nothing'}\n\n${USAGE}`);
      return 2;
    }
    let prefix: string | undefined;
    let name: string | undefined;
    let force = false;
    const takesValue = (i: number): boolean => !!rest[i + 1] && !rest[i + 1].startsWith('--');
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--user') continue;
      if (rest[i] === '--force') {
        force = true;
        continue;
      }
      if (rest[i] === '--prefix' && takesValue(i)) {
        prefix = rest[++i];
        continue;
      }
      if (rest[i] === '--name' && takesValue(i)) {
        name = rest[++i];
        continue;
      }
      console.error(`metriclab kernel install: unknown or incomplete option '${rest[i]}'\n\n${USAGE}`);
      return 2;
    }
    if (prefix && rest.includes('--user')) {
      console.error('metriclab kernel install: --user and --prefix cannot be used together');
      return 2;
    }
    try {
      const dir = installKernelSpec({ prefix, name, force });
      console.log(`Installed kernelspec '${name ?? 'tslab'}' in ${dir}`);
      return 0;
    } catch (e) {
      if (!(e instanceof KernelSpecExistsError) && !/Error in installKernelSpec/.test(String(e))) throw e;
      console.error(`metriclab kernel install: ${(e as Error).message}`);
      return 2;
    }
  },
};
