// `npm install` / `npm ci` in a clone (the `prepare` script): makes node_modules/metriclab a link to
// the repository, so the course notebooks import 'metriclab' exactly as a user's code does (tslab's
// TypeScript does not resolve a package's own name through its `exports`). Does nothing when
// metriclab is itself installed as a dependency (npm does not run `prepare` there, and the guard
// below keeps a git install from linking a package into its own node_modules).
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const link = path.join(root, 'node_modules', 'metriclab');
if (root.split(path.sep).includes('node_modules') || !fs.existsSync(path.join(root, 'node_modules'))) process.exit(0);
let existing = null;
try {
  existing = fs.lstatSync(link);
} catch {
  // no link yet
}
if (existing && !existing.isSymbolicLink()) {
  console.warn(`link-self: ${link} exists and is not a link; leaving it alone`);
  process.exit(0);
}
if (existing) fs.rmSync(link);
// A relative junction/symlink, so the clone can move.
fs.symlinkSync(process.platform === 'win32' ? root : '..', link, 'junction');
console.log("link-self: node_modules/metriclab -> .. (the course notebooks import 'metriclab')");
