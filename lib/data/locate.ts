/**
 * Where datasets are looked for, in order: METRICLAB_DATA_DIR, Debian's dataset packages
 * (/usr/share/datasets/<name>), then the compact subsets shipped in the repository's data/.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface DataDirectory {
  path: string;
  /** Why this directory is searched. */
  origin: 'METRICLAB_DATA_DIR' | 'debian' | 'shipped';
  exists: boolean;
}

/** The repository's own data/ folder (two levels up from dist/data or lib/data). */
export const SHIPPED_DATA_DIR = path.resolve(__dirname, '..', '..', 'data');

export function dataDirectories(): DataDirectory[] {
  const dirs: DataDirectory[] = [];
  const env = process.env.METRICLAB_DATA_DIR;
  if (env) dirs.push({ path: path.resolve(env), origin: 'METRICLAB_DATA_DIR', exists: fs.existsSync(env) });
  const debian = '/usr/share/datasets';
  dirs.push({ path: debian, origin: 'debian', exists: fs.existsSync(debian) });
  dirs.push({ path: SHIPPED_DATA_DIR, origin: 'shipped', exists: fs.existsSync(SHIPPED_DATA_DIR) });
  return dirs;
}
