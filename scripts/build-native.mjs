#!/usr/bin/env node
/**
 * Builds metriclab's optional native path (native/: OpenBLAS's sgemm for the wasm backend's matrix
 * products) at install. Optional: without Debian's libopenblas-dev (and pkg-config, g++, make) it
 * prints why it skipped and exits 0, and the library runs on XNNPACK inside wasm. Set
 * METRICLAB_NATIVE=0 to skip it, or METRICLAB_REQUIRE_NATIVE=1 to make a failed build fail the
 * install (CI does). node-gyp is npm's own copy; the headers are Node's own (no download).
 *
 *   node scripts/build-native.mjs
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native');
const required = process.env.METRICLAB_REQUIRE_NATIVE === '1';

function skip(reason) {
  const line = `metriclab: native BLAS path not built (${reason}); matrix products run on wasm (XNNPACK)`;
  if (required) {
    console.error(`${line}\nMETRICLAB_REQUIRE_NATIVE=1: failing`);
    process.exit(1);
  }
  console.log(line);
  process.exit(0);
}

/** npm's bundled node-gyp: npm names it in lifecycle scripts; otherwise next to the npm on PATH. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  for (const p of candidates) if (p && fs.existsSync(p)) return p;
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  const global = npmRoot.status === 0 && path.join(npmRoot.stdout.trim(), 'npm/node_modules/node-gyp/bin/node-gyp.js');
  return global && fs.existsSync(global) ? global : null;
}

/** Node's own headers (Debian's and the official builds ship them under <prefix>/include/node). */
function findNodeDir() {
  const fromNpm = process.env.npm_config_nodedir;
  if (fromNpm && fs.existsSync(path.join(fromNpm, 'include/node/node_api.h'))) return fromNpm;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include/node/node_api.h')) ? prefix : null;
}

if (process.env.METRICLAB_NATIVE === '0') skip('METRICLAB_NATIVE=0');
if (!fs.existsSync(path.join(nativeDir, 'binding.gyp'))) skip('native/binding.gyp is not in this install');
const pkg = spawnSync('pkg-config', ['--exists', 'openblas']);
if (pkg.error || pkg.status !== 0) skip('OpenBLAS not found: apt-get install libopenblas-dev pkg-config');
const nodeGyp = findNodeGyp();
if (!nodeGyp) skip("npm's node-gyp not found");
const nodeDir = findNodeDir();
if (!nodeDir) skip("Node's headers (include/node/node_api.h) not found");

const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`], {
  cwd: nativeDir,
  encoding: 'utf8',
});
if (build.status !== 0) {
  const tail = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  console.error(tail);
  skip(`node-gyp failed with status ${build.status}`);
}
console.log('metriclab: native BLAS path built (native/build/Release/metriclab_blas.node)');
