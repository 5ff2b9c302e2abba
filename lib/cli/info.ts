import * as fs from 'fs';
import type { Command } from './main';
import { describeAdapter, probeWebGpu, ready } from '../backend';
import { dataDirectories } from '../data/locate';
import { nativeAnnBackend } from '../search/usearch-index';

export const command: Command = {
  summary: 'print the compute backend in use and why, versions, and the data directories found',
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(
        'Usage: metriclab info [--json]\n\nPrints the backend chosen (METRICLAB_BACKEND=auto|tensorflow-gpu|tensorflow|webgpu|wasm|cpu) and why,\ntfjs versions, wasm SIMD/threads, native packages, the native ANN index (usearch) if installed, the WebGPU adapter, and the data directories searched.',
      );
      return 0;
    }
    let info;
    try {
      info = await ready();
    } catch (e) {
      console.error((e as Error).message);
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
    if (args.includes('--json')) {
      console.log(JSON.stringify({ ...info, webgpu, nativeAnnIndex: annIndex, dataDirectories: dirs }, null, 2));
      return 0;
    }
    const yes = (b: boolean | null): string => (b === null ? 'n/a' : b ? 'yes' : 'no');
    console.log(`backend:          ${info.backend} (tfjs '${info.tfBackend}')`);
    console.log(`requested:        ${info.requested}`);
    console.log(`why:              ${info.reason}`);
    console.log(`wasm SIMD:        ${yes(info.simd)}`);
    console.log(`wasm threads:     ${yes(info.threads)}`);
    console.log(`CUDA GPU seen:    ${yes(info.cudaGpuSeen)}`);
    console.log(
      `tfjs-node-gpu:    ${info.nativePackages.gpu.path ? 'installed' : 'not installed (npm install @tensorflow/tfjs-node-gpu)'}`,
    );
    console.log(
      `tfjs-node:        ${info.nativePackages.cpu.path ? 'installed' : 'not installed (npm install @tensorflow/tfjs-node)'}`,
    );
    console.log(
      `webgpu adapter:   ${webgpu.adapter ? describeAdapter(webgpu.adapter) : `none: ${webgpu.problem ?? 'unknown'}`}`,
    );
    console.log(
      `ANN index:        ${native ? `${native} (native HNSW, used by hnswIndex())` : 'JavaScript HNSW (optional usearch not installed: npm install usearch)'}`,
    );
    if (info.addedKernels.length) console.log(`kernels added:    ${info.addedKernels.join(', ')}`);
    console.log('versions:');
    for (const [k, v] of Object.entries(info.versions)) console.log(`  ${k.padEnd(30)} ${v}`);
    console.log('data directories (searched in this order):');
    for (const d of dirs)
      console.log(
        `  ${d.origin.padEnd(18)} ${d.path} ${d.exists ? `(${d.files.join(', ') || 'empty'})` : '(not found)'}`,
      );
    return 0;
  },
};
