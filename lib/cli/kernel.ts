/**
 * `metriclab kernel install [--user | --prefix P] [--name N] [--force]`: registers this
 * package's tslab with Jupyter ("TypeScript (metriclab)"), with no Python needed.
 */
import { defineCommand, UsageError } from './harness';
import { KernelSpecExistsError, installKernelSpec } from '../notebook/kernel-install';

export const command = defineCommand({
  name: 'kernel',
  summary: "install a 'tslab' Jupyter kernelspec for this package (no Python needed)",
  synopsis: 'install [--user | --prefix PREFIX] [--name NAME] [--force]',
  description: `Writes a Jupyter kernelspec (display name 'TypeScript (metriclab)') that starts this package's
tslab. --user (default): the user's Jupyter data folder ($JUPYTER_DATA_DIR, ~/.local/share/jupyter,
~/Library/Jupyter or %APPDATA%\\jupyter) under kernels/; --prefix PREFIX: PREFIX/share/jupyter/kernels.
--name NAME: the kernelspec's name (default 'tslab'). A kernelspec of that name that metriclab
did not write (tslab's own) is left alone unless --force.`,
  options: {
    user: { type: 'boolean', help: "install in the user's Jupyter data folder (the default)" },
    prefix: { type: 'string', value: 'PREFIX', help: 'install in PREFIX/share/jupyter/kernels' },
    name: { type: 'string', value: 'NAME', help: "the kernelspec's name (default 'tslab')" },
    force: { type: 'boolean', help: 'replace a kernelspec of that name that metriclab did not write' },
  },
  positionals: true,
  async run({ values, positionals }, io) {
    const cmd = 'metriclab kernel';
    if (positionals.length !== 1 || positionals[0] !== 'install') {
      throw new UsageError(
        cmd,
        'the subcommand',
        "be 'install'",
        positionals.length ? `'${positionals.join(' ')}'` : 'nothing',
      );
    }
    if (values.prefix !== undefined && values.user) {
      throw new UsageError(cmd, '--prefix', 'not be used with --user', `--prefix ${values.prefix} --user`);
    }
    const { prefix, name } = values;
    try {
      const dir = installKernelSpec({ prefix, name, force: !!values.force });
      io.out(`Installed kernelspec '${name ?? 'tslab'}' in ${dir}\n`);
      return 0;
    } catch (e) {
      if (!(e instanceof KernelSpecExistsError) && !/Error in installKernelSpec/.test(String(e))) throw e;
      io.err(`metriclab kernel install: ${(e as Error).message}\n`);
      return 2;
    }
  },
});
