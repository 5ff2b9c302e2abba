/** A fresh temporary directory per test file, removed afterwards (files for bad-input tests). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function useTmpDir(prefix: string): () => string {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `metriclab-${prefix}-`));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
