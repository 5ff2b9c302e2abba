/**
 * Exact byte counts of an index, for "bytes per vector" tables: what the index reports holding
 * (memoryBytes(), counted from its arrays) or else what its save() writes (the file's length,
 * header included). Nothing is estimated from formulas.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { VectorIndex } from './exact-index';

/** An index that counts its own bytes. */
export interface SizedIndex {
  memoryBytes(): number;
}

/** An index that can write itself to a file (ExactIndex, IvfIndex, HnswIndex, UsearchIndex). */
export interface SavableIndex {
  save(path: string): void;
}

/**
 * @example
 * const quantized = new QuantizedIndex(pqCodec(ProductQuantizer.fit(vectors, { m: 8, seed: 1 })));
 * quantized.add(vectors);
 * indexBytes(quantized);  // codes + ids + codebooks
 * const hnsw = new HnswIndex(64, { M: 16, efConstruction: 100, seed: 1 });
 * hnsw.add(vectors);
 * indexBytes(hnsw);       // the length of the file hnsw.save() writes
 */
export function indexBytes(index: VectorIndex): number {
  const sized = index as Partial<SizedIndex>;
  if (typeof sized.memoryBytes === 'function') return sized.memoryBytes();
  const savable = index as Partial<SavableIndex>;
  if (typeof savable.save !== 'function') {
    throw new Error('Error in indexBytes: index must have memoryBytes() or save(path), but got neither');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-bytes-'));
  try {
    savable.save(path.join(dir, 'index'));
    // Some indexes write a settings file beside the data (UsearchIndex: index.json): count all.
    return fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
