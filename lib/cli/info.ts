import * as fs from 'fs';
import { defineCommand } from './harness';
import { describeAdapter, nativeBlasStatus, probeWebGpu, ready } from '../backend';
import { dataDirectories } from '../data/locate';
import { nativeAnnBackend } from '../search/usearch-index';

export const command = defineCommand({
  name: 'info',
  summary: 'print the compute backend in use and why, versions, and the data directories found',
  synopsis: '[--json]',
  description: `Prints the backend chosen (METRICLAB_BACKEND=auto|tensorflow-gpu|tensorflow|webgpu|wasm|cpu) and why,
tfjs versions, wasm SIMD/threads, native packages, the native ANN index (usearch) if installed,
the WebGPU adapter, and the data directories searched.`,
  options: { json: { type: 'boolean', help: 'print the same as JSON' } },
  async run({ values }, io) {
    const print = (line: string): void => io.out(`${line}\n`);
    let info;
    try {
      info = await ready();
    } catch (e) {
      io.err(`${(e as Error).message}\n`);
      return 1;
    }
    const dirs = dataDirectories().map((d) => ({
      ...d,
      files: d.exists
        ? fs
            .readdirSync(d.path)
            .filter((f) => !f.startsWith('.'))
            .slice(0, 20)
        : [],
    }));
    // Looked up even when selection did not get that far, so info always says what WebGPU would use.
    const webgpu = info.webgpu ?? (await probeWebGpu());
    // hnswIndex() uses the native index whenever it loads; say which one search will use.
    const native = nativeAnnBackend();
    const annIndex = { installed: native !== null, package: native, usedByHnswIndex: native !== null };
    if (values.json) {
      print(
        JSON.stringify(
          { ...info, webgpu, nativeBlas: nativeBlasStatus(), nativeAnnIndex: annIndex, dataDirectories: dirs },
          null,
          2,
        ),
      );
      return 0;
    }
    const yes = (b: boolean | null): string => (b === null ? 'n/a' : b ? 'yes' : 'no');
    print(`backend:          ${info.backend} (tfjs '${info.tfBackend}')`);
    print(`requested:        ${info.requested}`);
    print(`why:              ${info.reason}`);
    print(`wasm SIMD:        ${yes(info.simd)}`);
    print(`wasm threads:     ${yes(info.threads)}`);
    print(`CUDA GPU seen:    ${yes(info.cudaGpuSeen)}`);
    print(
      `tfjs-node-gpu:    ${info.nativePackages.gpu.path ? 'installed' : 'not installed (npm install @tensorflow/tfjs-node-gpu)'}`,
    );
    print(
      `tfjs-node:        ${info.nativePackages.cpu.path ? 'installed' : 'not installed (npm install @tensorflow/tfjs-node)'}`,
    );
    print(
      `webgpu adapter:   ${webgpu.adapter ? describeAdapter(webgpu.adapter) : `none: ${webgpu.problem ?? 'unknown'}`}`,
    );
    const blas = nativeBlasStatus();
    print(
      `native BLAS:      ${blas.loaded ? `${blas.config} (${blas.threads} thread(s); the wasm matmuls use it${info.backend === 'wasm' ? '' : ' when wasm is the backend'})` : blas.reason}`,
    );
    print(
      `ANN index:        ${native ? `${native} (native HNSW, used by hnswIndex())` : 'JavaScript HNSW (optional usearch not installed: npm install usearch)'}`,
    );
    if (info.addedKernels.length) print(`kernels added:    ${info.addedKernels.join(', ')}`);
    print('versions:');
    for (const [k, v] of Object.entries(info.versions)) print(`  ${k.padEnd(30)} ${v}`);
    print('data directories (searched in this order):');
    for (const d of dirs)
      print(`  ${d.origin.padEnd(18)} ${d.path} ${d.exists ? `(${d.files.join(', ') || 'empty'})` : '(not found)'}`);
    return 0;
  },
});
