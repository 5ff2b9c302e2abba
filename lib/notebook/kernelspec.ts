/**
 * Kernelspecs: how to start a kernel by name. tslab (TypeScript) comes from this package, so a
 * fresh clone runs its notebooks without Python or `jupyter kernelspec install`; any other name
 * is looked up in Jupyter's data directories (jupyter_core's search path, re-implemented: the
 * npm wrappers of it spawn Python), so Debian's python3-ipykernel works too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PACKAGE_ROOT } from '../package-root';

/** A kernelspec (kernel.json) plus where it was found. */
export interface KernelSpec {
  name: string;
  /** Command line; '{connection_file}' is replaced by the connection file's path. */
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
  /** How to interrupt: SIGINT to the process group, or an interrupt_request on control. */
  interrupt_mode: 'signal' | 'message';
  /** Directory of kernel.json, or 'builtin' for this package's tslab. */
  resourceDir: string;
}

/**
 * The tslab launcher of this package: bin/tslab-kernel.js runs tslab's own CLI after making its
 * ZeroMQ sends queue up (tslab 1.0.22 does not await them; zeromq 6 rejects overlapping sends).
 */
export function tslabBin(): string {
  return path.join(PACKAGE_ROOT, 'bin', 'tslab-kernel.js');
}

/**
 * This package's tslab as a kernelspec: `node .../bin/tslab-kernel.js kernel --config-path {connection_file}`.
 *
 * @example
 * builtinTslabSpec().argv; // [process.execPath, '/…/bin/tslab-kernel.js', 'kernel', '--config-path', '{connection_file}']
 */
export function builtinTslabSpec(js = false): KernelSpec {
  return {
    name: js ? 'jslab' : 'tslab',
    argv: [process.execPath, tslabBin(), 'kernel', '--config-path', '{connection_file}', ...(js ? ['--js'] : [])],
    display_name: js ? 'JavaScript (metriclab)' : 'TypeScript (metriclab)',
    language: js ? 'javascript' : 'typescript',
    env: {},
    interrupt_mode: 'signal',
    resourceDir: 'builtin',
  };
}

/** Where Jupyter looks, for one platform: env (JUPYTER_PATH, HOME, APPDATA...) and OS. */
export interface JupyterPathContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

const truthy = (v: string | undefined): boolean => !!v && !['0', 'false', 'no', 'off', ''].includes(v.toLowerCase());

/**
 * The user's Jupyter data directory, as jupyter_core's `jupyter_data_dir()`: JUPYTER_DATA_DIR,
 * else ~/Library/Jupyter (macOS), %APPDATA%\jupyter (Windows), $XDG_DATA_HOME/jupyter or
 * ~/.local/share/jupyter (Linux and others).
 *
 * @example
 * jupyterDataDir({ env: { HOME: '/home/a' }, platform: 'linux' }); // '/home/a/.local/share/jupyter'
 */
export function jupyterDataDir({ env = process.env, platform = process.platform }: JupyterPathContext = {}): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = (platform === 'win32' ? env.USERPROFILE : env.HOME) ?? os.homedir();
  if (platform === 'darwin') return p.join(home, 'Library', 'Jupyter');
  if (platform === 'win32') return env.APPDATA ? p.join(env.APPDATA, 'jupyter') : p.join(home, '.jupyter', 'data');
  return p.join(env.XDG_DATA_HOME || p.join(home, '.local', 'share'), 'jupyter');
}

/**
 * The active Python environment's prefix (a virtualenv or a conda environment), whose
 * share/jupyter Jupyter also searches; null outside one.
 */
function environmentPrefix(env: NodeJS.ProcessEnv): string | null {
  return env.VIRTUAL_ENV || env.CONDA_PREFIX || null;
}

/**
 * Jupyter's data directories in its search order, as jupyter_core's `jupyter_path()`:
 * JUPYTER_PATH entries, then the user's directory and the environment's PREFIX/share/jupyter
 * (the environment first inside a virtualenv or a non-base conda environment, or when
 * JUPYTER_PREFER_ENV_PATH says so), then the system directories (/usr/local/share/jupyter and
 * /usr/share/jupyter; %PROGRAMDATA%\jupyter on Windows).
 *
 * @example
 * jupyterDataDirs({ env: { HOME: '/home/a', VIRTUAL_ENV: '/venv' }, platform: 'linux' });
 * // ['/venv/share/jupyter', '/home/a/.local/share/jupyter', '/usr/local/share/jupyter', '/usr/share/jupyter']
 */
export function jupyterDataDirs(context: JupyterPathContext = {}): string[] {
  const { env = process.env, platform = process.platform } = context;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dirs: string[] = [];
  for (const d of (env.JUPYTER_PATH ?? '').split(platform === 'win32' ? ';' : ':')) if (d) dirs.push(d);
  const user = jupyterDataDir({ env, platform });
  const prefix = environmentPrefix(env);
  const envDir = prefix ? p.join(prefix, 'share', 'jupyter') : null;
  const inEnv =
    !!env.VIRTUAL_ENV || (!!env.CONDA_PREFIX && !!env.CONDA_DEFAULT_ENV && env.CONDA_DEFAULT_ENV !== 'base');
  const preferEnv = env.JUPYTER_PREFER_ENV_PATH !== undefined ? truthy(env.JUPYTER_PREFER_ENV_PATH) : inEnv;
  if (envDir && preferEnv) dirs.push(envDir, user);
  else dirs.push(user, ...(envDir ? [envDir] : []));
  if (platform === 'win32') {
    if (env.PROGRAMDATA) dirs.push(p.join(env.PROGRAMDATA, 'jupyter'));
  } else {
    dirs.push('/usr/local/share/jupyter', '/usr/share/jupyter');
  }
  return [...new Set(dirs)];
}

interface KernelJson {
  argv?: unknown;
  display_name?: unknown;
  language?: unknown;
  env?: unknown;
  interrupt_mode?: unknown;
}

function readSpec(dir: string, name: string): KernelSpec | null {
  const file = path.join(dir, 'kernel.json');
  if (!fs.existsSync(file)) return null;
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as KernelJson;
  if (!Array.isArray(json.argv) || !json.argv.every((a) => typeof a === 'string') || json.argv.length === 0) {
    throw new Error(`Error in findKernelSpec: ${file} must have a non-empty string array 'argv'`);
  }
  return {
    name,
    argv: json.argv as string[],
    display_name: typeof json.display_name === 'string' ? json.display_name : name,
    language: typeof json.language === 'string' ? json.language : '',
    env: (json.env && typeof json.env === 'object' ? json.env : {}) as Record<string, string>,
    interrupt_mode: json.interrupt_mode === 'message' ? 'message' : 'signal',
    resourceDir: dir,
  };
}

/** Thrown when no kernelspec of the requested name exists. */
export class NoSuchKernelError extends Error {
  constructor(
    readonly kernelName: string,
    readonly searched: string[],
  ) {
    super(
      `Error in findKernelSpec: no kernel named '${kernelName}'; searched ${searched.join(', ')} ` +
        `(built in: tslab, jslab)`,
    );
    this.name = 'NoSuchKernelError';
  }
}

export function isNoSuchKernelError(e: unknown): e is NoSuchKernelError {
  return e instanceof NoSuchKernelError;
}

/**
 * The kernelspec for a notebook's `metadata.kernelspec.name`. 'tslab' (or no name) is this
 * package's tslab unless `preferInstalled` asks for an installed spec of that name first.
 *
 * @example
 * findKernelSpec('python3').argv; // ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}']
 */
export function findKernelSpec(
  name: string | undefined,
  { env = process.env, preferInstalled = false }: { env?: NodeJS.ProcessEnv; preferInstalled?: boolean } = {},
): KernelSpec {
  const wanted = name || 'tslab';
  const builtin = wanted === 'tslab' || wanted === 'jslab';
  if (builtin && !preferInstalled) return builtinTslabSpec(wanted === 'jslab');
  const searched = jupyterDataDirs({ env }).map((d) => path.join(d, 'kernels'));
  for (const dir of searched) {
    // Jupyter matches kernel names case-insensitively (directory names are lower case).
    const spec = readSpec(path.join(dir, wanted.toLowerCase()), wanted);
    if (spec) return spec;
  }
  if (builtin) return builtinTslabSpec(wanted === 'jslab');
  throw new NoSuchKernelError(wanted, searched);
}

/** ipykernel, however it is launched (`-m ipykernel_launcher`, `-m ipykernel`, a wrapper script). */
function isIpykernel(argv: string[]): boolean {
  return argv.some((a) => /(^|[/\\])ipykernel(_launcher)?(\.py)?$/.test(a));
}

/**
 * The command line that starts a kernel: the spec's argv with the connection file filled in;
 * ipykernel also gets its history in memory (as nbclient does), so CI leaves no ~/.ipython files.
 *
 * @example
 * launchArgv(findKernelSpec('python3'), '/tmp/k.json');
 * // ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '/tmp/k.json', '--HistoryManager.hist_file=:memory:']
 */
export function launchArgv(spec: KernelSpec, connectionFile: string): string[] {
  const argv = spec.argv.map((a) => a.replace('{connection_file}', connectionFile));
  return isIpykernel(spec.argv) ? [...argv, '--HistoryManager.hist_file=:memory:'] : argv;
}
