// Points every import of the umbrella '@tensorflow/tfjs' at metriclab's own tf module (lib/tf.ts:
// tfjs-core + tfjs-layers + the cpu backend, with gradients and chained ops registered), now that
// the umbrella is no longer a dependency. Idempotent: run it again after merging a branch that
// still imports the umbrella; it rewrites only what is left and says what it did.
//
//   node scripts/rewrite-tf-imports.mjs          rewrite in place
//   node scripts/rewrite-tf-imports.mjs --check  change nothing; exit 1 if anything is left
//
// Rewrites, in .ts files under lib/, test/, bench/ and scripts/:
//   import [type] * as tf from '@tensorflow/tfjs';   (a code line)  -> the relative path of lib/tf
//   * import * as tf from '@tensorflow/tfjs';        (a doc comment) -> 'metriclab/tf', as a user writes it
// and, in notebooks/*.ipynb code cells, '@tensorflow/tfjs' -> 'metriclab/tf'.
// Any other mention of the umbrella package (inside a string, a dynamic import) is listed for a
// hand edit and makes --check fail; the script does not guess.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TF_MODULE = path.join(root, 'lib', 'tf');
const UMBRELLA = /'@tensorflow\/tfjs'/;
const CODE_IMPORT = /^import (type )?\* as (\w+) from '@tensorflow\/tfjs';/;
const DOC_IMPORT = /^(\s*\*\s*import .* from )'@tensorflow\/tfjs';/;
const check = process.argv.includes('--check');

function* walk(dir, ext) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full, ext);
    else if (entry.name.endsWith(ext)) yield full;
  }
}

/** lib/tf as an extension-less relative specifier from FILE, e.g. '../tf' or '../../lib/tf'. */
function tfSpecifier(file) {
  const rel = path.relative(path.dirname(file), TF_MODULE).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

let changedFiles = 0;
let changedLines = 0;
const leftOver = [];

function rewriteTs(file) {
  if (path.resolve(file) === `${TF_MODULE}.ts`) return;
  const text = fs.readFileSync(file, 'utf8');
  if (!UMBRELLA.test(text)) return;
  let n = 0;
  const lines = text.split('\n').map((line, i) => {
    if (!UMBRELLA.test(line)) return line;
    const code = CODE_IMPORT.exec(line);
    if (code) {
      n++;
      return line.replace("'@tensorflow/tfjs'", `'${tfSpecifier(file)}'`);
    }
    if (DOC_IMPORT.test(line)) {
      n++;
      return line.replace("'@tensorflow/tfjs'", "'metriclab/tf'");
    }
    leftOver.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
    return line;
  });
  if (n === 0) return;
  changedFiles++;
  changedLines += n;
  if (!check) fs.writeFileSync(file, lines.join('\n'));
  console.log(`${check ? 'would rewrite' : 'rewrote'} ${path.relative(root, file)} (${n})`);
}

function rewriteNotebook(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!UMBRELLA.test(text)) return;
  const nb = JSON.parse(text);
  let n = 0;
  for (const cell of nb.cells) {
    const source = Array.isArray(cell.source) ? cell.source : [cell.source];
    const rewritten = source.map((s) => {
      if (cell.cell_type !== 'code' || !UMBRELLA.test(s)) return s;
      n++;
      return s.replaceAll("'@tensorflow/tfjs'", "'metriclab/tf'");
    });
    cell.source = Array.isArray(cell.source) ? rewritten : rewritten[0];
  }
  if (n === 0) {
    leftOver.push(`${path.relative(root, file)}: mentions '@tensorflow/tfjs' outside code cells`);
    return;
  }
  changedFiles++;
  changedLines += n;
  // nbformat's layout: one-space indent, a final newline.
  if (!check) fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
  console.log(`${check ? 'would rewrite' : 'rewrote'} ${path.relative(root, file)} (${n})`);
}

for (const dir of ['lib', 'test', 'bench', 'scripts']) {
  for (const file of walk(path.join(root, dir), '.ts')) rewriteTs(file);
}
for (const file of walk(path.join(root, 'notebooks'), '.ipynb')) rewriteNotebook(file);

console.log(
  `rewrite-tf-imports: ${check ? 'would rewrite' : 'rewrote'} ${changedLines} import(s) in ${changedFiles} file(s)`,
);
if (leftOver.length) {
  console.log(`left for a hand edit (${leftOver.length}):\n  ${leftOver.join('\n  ')}`);
}
if (check && (changedLines > 0 || leftOver.length > 0)) process.exit(1);
