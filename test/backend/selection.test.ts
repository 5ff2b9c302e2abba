import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { parseBackendRequest, ready } from '../../lib/backend';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'metriclab.js');

describe('backend selection', () => {
  it('auto picks wasm on this machine (no native packages) and says why', async function () {
    const info = await ready();
    if (info.nativePackages.cpu.path || info.nativePackages.gpu.path || process.env.METRICLAB_BACKEND) {
      console.log('      (skipped: a native package is installed or METRICLAB_BACKEND is set)');
      this.skip();
    }
    assert.equal(info.backend, 'wasm');
    assert.match(info.reason, /tfjs-node/);
    assert.equal(tf.getBackend(), info.tfBackend);
  });

  it('rejects an unknown METRICLAB_BACKEND naming the variable and the choices', () => {
    assert.throws(
      () => parseBackendRequest('gpu'),
      /METRICLAB_BACKEND must be one of auto, tensorflow-gpu, tensorflow, webgpu, wasm, cpu, but got 'gpu'/,
    );
    assert.equal(parseBackendRequest(undefined), 'auto');
  });

  it('`metriclab info` reports the backend, and forcing an absent native package fails clearly', () => {
    const out = execFileSync('node', [BIN, 'info'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'cpu' },
    });
    assert.match(out, /backend:\s+cpu/);
    assert.match(out, /data directories/);
    const r = spawnSync('node', [BIN, 'info'], {
      encoding: 'utf8',
      env: { ...process.env, METRICLAB_BACKEND: 'tensorflow' },
    });
    if (r.stdout.includes('backend:          tensorflow')) return; // tfjs-node is installed here
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /needs the package @tensorflow\/tfjs-node, which is not installed\. Install it with: npm install @tensorflow\/tfjs-node/,
    );
  });
});
