/**
 * Where datasets are looked for, in order: METRICLAB_DATA_DIR, Debian's dataset packages
 * (/usr/share/datasets/<name>), then the compact subsets shipped in the repository's data/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../package-root';

export interface DataDirectory {
  path: string;
  /** Why this directory is searched. */
  origin: 'METRICLAB_DATA_DIR' | 'debian' | 'shipped';
  exists: boolean;
}

/** The package's own data/ folder. */
export const SHIPPED_DATA_DIR = path.join(PACKAGE_ROOT, 'data');

export function dataDirectories(): DataDirectory[] {
  const dirs: DataDirectory[] = [];
  const env = process.env.METRICLAB_DATA_DIR;
  if (env) dirs.push({ path: path.resolve(env), origin: 'METRICLAB_DATA_DIR', exists: fs.existsSync(env) });
  const debian = '/usr/share/datasets';
  dirs.push({ path: debian, origin: 'debian', exists: fs.existsSync(debian) });
  dirs.push({ path: SHIPPED_DATA_DIR, origin: 'shipped', exists: fs.existsSync(SHIPPED_DATA_DIR) });
  return dirs;
}

/** The two halves of MNIST-style datasets, by their file-name prefix. */
export type FilePart = 'train' | 't10k';

/** The image and label files of one part of a dataset. */
export interface PartFiles {
  images: string;
  labels: string;
}

/** Where one dataset was found. */
export interface DatasetLocation {
  /** The directory holding the files. */
  dir: string;
  origin: DataDirectory['origin'] | 'dataDir option';
  files: Partial<Record<FilePart, PartFiles>>;
}

function partFiles(dir: string, part: FilePart): PartFiles | null {
  const find = (stem: string): string | null => {
    // Debian and the original site ship .gz; an unpacked copy works too.
    for (const name of [`${stem}.gz`, stem]) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return p;
    }
    return null;
  };
  const images = find(`${part}-images-idx3-ubyte`);
  const labels = find(`${part}-labels-idx1-ubyte`);
  return images && labels ? { images, labels } : null;
}

/**
 * Finds the first directory holding every requested part of a dataset: `dataDir` (its
 * `<name>/` subfolder or itself) when given, else METRICLAB_DATA_DIR/<name>,
 * /usr/share/datasets/<name>, data/<name>. Returns null when none has them all.
 *
 * @example
 * locateDataset('fashion-mnist', ['train', 't10k'])?.dir; // '/usr/share/datasets/fashion-mnist' on Debian
 */
export function locateDataset(name: string, parts: readonly FilePart[], dataDir?: string): DatasetLocation | null {
  const candidates: { dir: string; origin: DatasetLocation['origin'] }[] = dataDir
    ? [
        { dir: path.resolve(dataDir, name), origin: 'dataDir option' },
        { dir: path.resolve(dataDir), origin: 'dataDir option' },
      ]
    : dataDirectories().map((d) => ({ dir: path.join(d.path, name), origin: d.origin }));
  for (const { dir, origin } of candidates) {
    const files: DatasetLocation['files'] = {};
    let complete = true;
    for (const part of parts) {
      const found = partFiles(dir, part);
      if (found) files[part] = found;
      else complete = false;
    }
    if (complete) return { dir, origin, files };
  }
  return null;
}
