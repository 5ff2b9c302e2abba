/**
 * Installs this package's tslab as a Jupyter kernelspec without Python: kernel.json is just a
 * file in a known folder, so Jupyter (and `metriclab run`) find it there. A kernelspec of the
 * same name that this command did not write (tslab's own `tslab install`, say) is never
 * overwritten: install under another name, or pass `force`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { builtinTslabSpec, jupyterDataDir } from './kernelspec';
import { makeDirs } from './nbformat';

export interface KernelInstallOptions {
  /** Install under PREFIX/share/jupyter/kernels (like `jupyter kernelspec install --prefix`). */
  prefix?: string;
  /** Environment used to find the user data dir (JUPYTER_DATA_DIR, HOME, XDG_DATA_HOME, APPDATA). */
  env?: NodeJS.ProcessEnv;
  /** The kernelspec's name (its folder). Default 'tslab'. */
  name?: string;
  /** Overwrite a kernelspec of that name even if something else installed it. */
  force?: boolean;
}

const INSTALLED_BY = 'metriclab kernel install';

/** Thrown when the target folder holds a kernelspec this package did not write. */
export class KernelSpecExistsError extends Error {
  constructor(readonly dir: string) {
    super(
      `Error in installKernelSpec: ${dir} holds a kernelspec that metriclab did not install ` +
        `(tslab's own?); it is left alone. Choose another name (--name) or overwrite it (--force).`,
    );
    this.name = 'KernelSpecExistsError';
  }
}

/** The kernels folder an install goes to: PREFIX/share/jupyter/kernels, else the user's. */
export function kernelsDir({ prefix, env = process.env }: KernelInstallOptions = {}): string {
  if (prefix) return path.join(prefix, 'share', 'jupyter', 'kernels');
  return path.join(jupyterDataDir({ env }), 'kernels');
}

function installedByUs(file: string): boolean {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { metadata?: { installed_by?: unknown } };
    return json.metadata?.installed_by === INSTALLED_BY;
  } catch {
    return false;
  }
}

/**
 * Writes kernels/NAME/kernel.json (argv: this node and this package's tslab); returns its folder.
 *
 * @example
 * installKernelSpec({ prefix: '/tmp/jp' }); // '/tmp/jp/share/jupyter/kernels/tslab'
 */
export function installKernelSpec(options: KernelInstallOptions = {}): string {
  const spec = builtinTslabSpec();
  const name = options.name ?? spec.name;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    throw new Error(`Error in installKernelSpec: name must use letters, digits, '.', '_' or '-', but got '${name}'`);
  }
  const dir = path.join(kernelsDir(options), name.toLowerCase());
  const file = path.join(dir, 'kernel.json');
  if (fs.existsSync(file) && !options.force && !installedByUs(file)) throw new KernelSpecExistsError(dir);
  makeDirs(dir);
  const json = {
    argv: spec.argv,
    display_name: spec.display_name,
    language: spec.language,
    interrupt_mode: spec.interrupt_mode,
    env: {},
    metadata: { installed_by: INSTALLED_BY },
  };
  fs.writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
  return dir;
}
