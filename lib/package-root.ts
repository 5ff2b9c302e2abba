/**
 * Where the package root is (data/, notebooks/, bin/, package.json), from this file's place in
 * dist/ (or lib/ under tsx): the one place it is computed, so moving a module never breaks a path.
 * A module of its own so that code without tfjs (the runner, the course) can ask without starting it.
 *
 * @example
 * import * as path from 'path';
 * import { PACKAGE_ROOT } from './package-root';
 * const notebooksDir = path.join(PACKAGE_ROOT, 'notebooks');
 */
import * as path from 'path';

export const PACKAGE_ROOT = path.resolve(__dirname, '..');
