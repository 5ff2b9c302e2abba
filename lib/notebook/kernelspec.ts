/**
 * Kernelspecs: how to start a kernel by name. tslab (TypeScript) comes from this package, so a
 * fresh clone runs its notebooks without Python or `jupyter kernelspec install`; any other name
 * is looked up in Jupyter's data directories, so Debian's python3-ipykernel works too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

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
  // lib/notebook or dist/notebook → the package root.
  return path.resolve(__dirname, '..', '..', 'bin', 'tslab-kernel.js');
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

/** Jupyter's data directories in its search order (JUPYTER_PATH, user, prefix, system). */
export function jupyterDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  for (const p of (env.JUPYTER_PATH ?? '').split(path.delimiter)) if (p) dirs.push(p);
  dirs.push(env.JUPYTER_DATA_DIR ?? path.join(os.homedir(), '.local', 'share', 'jupyter'));
  dirs.push('/usr/local/share/jupyter', '/usr/share/jupyter');
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
  const searched = jupyterDataDirs(env).map((d) => path.join(d, 'kernels'));
  for (const dir of searched) {
    // Jupyter matches kernel names case-insensitively (directory names are lower case).
    const spec = readSpec(path.join(dir, wanted.toLowerCase()), wanted);
    if (spec) return spec;
  }
  if (builtin) return builtinTslabSpec(wanted === 'jslab');
  throw new NoSuchKernelError(wanted, searched);
}
