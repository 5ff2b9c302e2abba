/**
 * Installs this package's tslab as a Jupyter kernelspec without Python: kernel.json is just a
 * file in a known folder, so Jupyter (and `metriclab run`) find 'tslab' there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { builtinTslabSpec } from './kernelspec';

export interface KernelInstallOptions {
  /** Install under PREFIX/share/jupyter/kernels (like `jupyter kernelspec install --prefix`). */
  prefix?: string;
  /** Environment used to find the user data dir (JUPYTER_DATA_DIR, HOME). */
  env?: NodeJS.ProcessEnv;
}

/** The kernels folder an install goes to: PREFIX/share/jupyter/kernels, else the user's. */
export function kernelsDir({ prefix, env = process.env }: KernelInstallOptions = {}): string {
  if (prefix) return path.join(prefix, 'share', 'jupyter', 'kernels');
  const data = env.JUPYTER_DATA_DIR ?? path.join(env.HOME ?? os.homedir(), '.local', 'share', 'jupyter');
  return path.join(data, 'kernels');
}

/**
 * Writes kernels/tslab/kernel.json (argv: this node and this package's tslab); returns its folder.
 *
 * @example
 * installKernelSpec({ prefix: '/tmp/jp' }); // '/tmp/jp/share/jupyter/kernels/tslab'
 */
export function installKernelSpec(options: KernelInstallOptions = {}): string {
  const spec = builtinTslabSpec();
  const dir = path.join(kernelsDir(options), spec.name);
  fs.mkdirSync(dir, { recursive: true });
  const json = {
    argv: spec.argv,
    display_name: spec.display_name,
    language: spec.language,
    interrupt_mode: spec.interrupt_mode,
    env: {},
    metadata: { installed_by: 'metriclab kernel install' },
  };
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(json, null, 1) + '\n');
  return dir;
}
