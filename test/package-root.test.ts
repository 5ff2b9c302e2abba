/**
 * The package root is computed in one place (lib/package-root.ts): a module that climbs out of
 * its own folder with `__dirname, '..'` breaks as soon as it moves (or is bundled), so no other
 * file of lib/ may do it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SHIPPED_DATA_DIR } from '../lib/data/locate';
import { tslabBin } from '../lib/notebook/kernelspec';
import { PACKAGE_ROOT } from '../lib/package-root';

const LIB = path.resolve(__dirname, '..', 'lib');

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

describe('package root', () => {
  it('is the folder of package.json, and the paths built on it exist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string };
    assert.equal(pkg.name, 'metriclab');
    assert.equal(SHIPPED_DATA_DIR, path.join(PACKAGE_ROOT, 'data'));
    assert.ok(fs.existsSync(SHIPPED_DATA_DIR), SHIPPED_DATA_DIR);
    assert.ok(fs.existsSync(tslabBin()), tslabBin());
  });

  it('is computed only in lib/package-root.ts', () => {
    const climbing = tsFiles(LIB)
      .filter((f) => path.basename(f) !== 'package-root.ts')
      .filter((f) => /__dirname\s*,\s*['"]\.\.['"]/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(LIB, f));
    assert.deepEqual(climbing, [], 'these files compute a path above their own folder: use PACKAGE_ROOT');
  });
});
