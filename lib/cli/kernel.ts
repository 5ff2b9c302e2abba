/**
 * `metriclab kernel install [--user | --prefix P]`: registers this package's tslab with Jupyter
 * as the kernelspec 'tslab' ("TypeScript (metriclab)"), with no Python needed.
 */
import type { Command } from './main';
import { installKernelSpec } from '../notebook/kernel-install';

const USAGE = `Usage: metriclab kernel install [--user | --prefix PREFIX]

Writes the Jupyter kernelspec 'tslab' (display name 'TypeScript (metriclab)') that starts this
package's tslab. --user (default): ~/.local/share/jupyter/kernels (or $JUPYTER_DATA_DIR/kernels);
--prefix PREFIX: PREFIX/share/jupyter/kernels.`;

export const command: Command = {
  summary: "install the 'tslab' Jupyter kernelspec for this package (no Python needed)",
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
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--user') continue;
      if (rest[i] === '--prefix' && rest[i + 1] && !rest[i + 1].startsWith('--')) {
        prefix = rest[++i];
        continue;
      }
      console.error(`metriclab kernel install: unknown or incomplete option '${rest[i]}'\n\n${USAGE}`);
      return 2;
    }
    if (prefix && rest.includes('--user')) {
      console.error('metriclab kernel install: --user and --prefix cannot be used together');
      return 2;
    }
    const dir = installKernelSpec({ prefix });
    console.log(`Installed kernelspec 'tslab' in ${dir}`);
    return 0;
  },
};
