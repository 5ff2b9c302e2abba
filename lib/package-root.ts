/**
 * Where the package root is (data/, notebooks/, bin/), from this file's place in dist/. A module
 * of its own so that code without tfjs (the runner, the course) can ask without starting it.
 *
 * @example
 * import * as path from 'path';
 * import { PACKAGE_ROOT } from './package-root';
 * const notebooksDir = path.join(PACKAGE_ROOT, 'notebooks');
 */
import * as path from 'path';

export const PACKAGE_ROOT = path.resolve(__dirname, '..');
