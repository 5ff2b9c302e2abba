/**
 * The README's code example must run as written: extract its ```ts block, point the import at the
 * compiled package (dist/, which npm test builds first), and run it as an ES module, as a user
 * would. A renamed option or export turns this red.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const TMP = path.join(ROOT, 'test', '.tmp');

function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README.md has no ```ts example');
  return match[1];
}

describe('README example', function () {
  this.timeout(180_000);

  it('runs as written and prints trained retrieval numbers', function () {
    const example = readmeExample();
    assert.match(example, /from 'metriclab'/);
    const source = example.replace(/from 'metriclab'/, `from ${JSON.stringify(path.join(ROOT, 'dist', 'index.js'))}`);
    fs.mkdirSync(TMP, { recursive: true });
    // An ES module file, so the example's top-level await runs as in a notebook.
    const file = path.join(TMP, 'readme-example.mts');
    fs.writeFileSync(file, source);
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--no-warnings', file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const last = out.trim().split('\n').pop() ?? '';
    const [epochs, p1, mapAtR] = last.split(' ').map(Number);
    assert.equal(epochs, 1, `example output: ${last}`);
    // Fashion-MNIST retrieval after one epoch: far above chance (0.1), below perfect.
    assert.ok(p1 > 0.5 && p1 < 1, `precision@1 ${p1}`);
    assert.ok(mapAtR > 0.1 && mapAtR < 1, `MAP@R ${mapAtR}`);
  });
});
