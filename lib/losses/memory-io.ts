/**
 * Saving a cross-batch memory next to a model (lib/models/io.ts writes model.json + weights.bin
 * into a directory; the memory adds memory.json + memory.bin there), so training can resume with
 * the memory it had.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fail } from '../validate';
import type { CrossBatchMemory, CrossBatchMemoryState } from './cross-batch-memory';

export const MEMORY_JSON = 'memory.json';
export const MEMORY_BIN = 'memory.bin';
const FORMAT = 'metriclab-xbm-memory/1';

/**
 * Writes the memory's state into `dir` (created if missing), e.g. the directory of saveModel.
 *
 * @example
 * await saveModel(model, 'runs/xbm/model');
 * await saveMemory(xbm, 'runs/xbm/model');
 */
export async function saveMemory(memory: CrossBatchMemory, dir: string): Promise<void> {
  const { embeddings, labels, ...rest } = memory.state();
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(path.join(dir, MEMORY_BIN), Buffer.from(embeddings.buffer, 0, embeddings.byteLength));
  const json = { format: FORMAT, ...rest, labels: Array.from(labels), weights: MEMORY_BIN };
  await fs.promises.writeFile(path.join(dir, MEMORY_JSON), JSON.stringify(json));
}

/**
 * Restores a memory saved by {@link saveMemory} into `memory` (same memory and embedding sizes).
 *
 * @example
 * const model = await loadModel('runs/xbm/model');
 * await loadMemory(xbm, 'runs/xbm/model');
 */
export async function loadMemory(memory: CrossBatchMemory, dir: string): Promise<void> {
  const fn = 'loadMemory';
  const jsonPath = path.join(dir, MEMORY_JSON);
  if (!fs.existsSync(jsonPath)) fail(fn, 'dir', `contain ${MEMORY_JSON}`, `'${dir}'`);
  const json = JSON.parse(await fs.promises.readFile(jsonPath, 'utf8')) as Omit<
    CrossBatchMemoryState,
    'embeddings' | 'labels'
  > & { format?: string; labels: number[] };
  if (json.format !== FORMAT) fail(fn, `${MEMORY_JSON} format`, `be '${FORMAT}'`, String(json.format));
  const bytes = await fs.promises.readFile(path.join(dir, MEMORY_BIN));
  const embeddings = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(embeddings.buffer).set(bytes);
  memory.restore({ ...json, labels: Int32Array.from(json.labels), embeddings });
}
