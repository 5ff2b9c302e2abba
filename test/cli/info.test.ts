/**
 * `metriclab info` says whether the optional native ANN index (usearch) is installed and used by
 * hnswIndex(), in text and in --json, matching what the library itself finds.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { nativeAnnBackend } from '../../lib/search/usearch-index';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'metriclab.js');

describe('cli: metriclab info reports the ANN index', function () {
  this.timeout(120000);
  const env = { ...process.env, METRICLAB_BACKEND: 'cpu' };

  it('prints the native index and its version when usearch loads, the JavaScript fallback otherwise', function () {
    const out = execFileSync('node', [BIN, 'info'], { encoding: 'utf8', env });
    const native = nativeAnnBackend();
    if (native) {
      assert.match(native, /^usearch \d+\.\d+\.\d+$/, 'the version is read from the package');
      assert.ok(out.includes(`ANN index:        ${native} (native HNSW, used by hnswIndex())`), out);
    } else {
      assert.match(out, /ANN index:\s+JavaScript HNSW \(optional usearch not installed: npm install usearch\)/);
    }
  });

  it('--json carries the same facts', function () {
    const json = JSON.parse(execFileSync('node', [BIN, 'info', '--json'], { encoding: 'utf8', env })) as {
      nativeAnnIndex: { installed: boolean; package: string | null; usedByHnswIndex: boolean };
    };
    const native = nativeAnnBackend();
    assert.deepStrictEqual(json.nativeAnnIndex, {
      installed: native !== null,
      package: native,
      usedByHnswIndex: native !== null,
    });
  });
});
