/**
 * remove, save and load for the approximate indexes (IVF, HNSW): a loaded index answers exactly
 * like the saved one, removed ids never come back, and bad files are refused by name.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ready } from '../../lib/backend';
import { Random } from '../../lib/random';
import { ExactIndex } from '../../lib/search/exact-index';
import { HnswIndex } from '../../lib/search/hnsw';
import { IvfIndex } from '../../lib/search/ivf';
import type { Matrix } from '../../lib/linalg/matrix';

function gaussian(n: number, dims: number, seed: number): Matrix {
  const rng = new Random(seed);
  return { data: Float32Array.from({ length: n * dims }, () => rng.normal()), rows: n, dims };
}

const tmp = (name: string) => path.join(os.tmpdir(), `metriclab-index-io-${process.pid}-${name}`);
const x = gaussian(300, 6, 1);
const q = gaussian(40, 6, 2);
const ids = Array.from({ length: 300 }, (_, i) => 5000 + 2 * i);
const dropped = ids.filter((_, i) => i % 3 === 0);

function sameResults(a: { ids: Int32Array; distances: Float32Array }, b: { ids: Int32Array; distances: Float32Array }) {
  assert.deepStrictEqual(Array.from(a.ids), Array.from(b.ids));
  assert.deepStrictEqual(Array.from(a.distances), Array.from(b.distances));
}

describe('search: remove, save and load', () => {
  before(async () => {
    await ready();
  });

  describe('IvfIndex', () => {
    const build = () => {
      const ivf = new IvfIndex(6, { nlist: 12, nprobe: 3, seed: 4 });
      ivf.train(x);
      ivf.add(x, ids);
      return ivf;
    };

    it('save then load answers exactly like the saved index, before and after remove', () => {
      const ivf = build();
      const file = tmp('a.ivf');
      ivf.save(file);
      const loaded = IvfIndex.load(file);
      assert.strictEqual(loaded.size, 300);
      assert.strictEqual(loaded.nprobe, 3);
      sameResults(loaded.search(q, 8), ivf.search(q, 8));
      assert.strictEqual(ivf.remove([...dropped, 99]), dropped.length, 'unknown id 99 is ignored');
      ivf.save(file);
      const again = IvfIndex.load(file);
      fs.rmSync(file);
      assert.strictEqual(again.size, 300 - dropped.length);
      sameResults(again.search(q, 8), ivf.search(q, 8));
    });

    it('removed ids never come back, and with every list probed it is exact over the rest', () => {
      const ivf = build();
      ivf.remove(dropped);
      ivf.nprobe = 12;
      const exact = new ExactIndex(6);
      exact.add(x, ids);
      exact.remove(dropped);
      const got = ivf.search(q, 10);
      const gone = new Set(dropped);
      assert.ok(Array.from(got.ids).every((id) => !gone.has(id)));
      assert.deepStrictEqual(Array.from(got.ids), Array.from(exact.search(q, 10).ids));
      // Adding after a remove still works (no retraining).
      ivf.add({ data: x.data.slice(0, 6), rows: 1, dims: 6 }, [1]);
      assert.strictEqual(ivf.search({ data: x.data.slice(0, 6), rows: 1, dims: 6 }, 1).ids[0], 1);
    });

    it('refuses an untrained save, a foreign file and a truncated one by name', () => {
      assert.throws(
        () => new IvfIndex(6, { nlist: 4, seed: 1 }).save(tmp('u.ivf')),
        /Error in IvfIndex.save: index must be trained first/,
      );
      const exactFile = tmp('e.idx');
      const e = new ExactIndex(6);
      e.add(x);
      e.save(exactFile);
      assert.throws(
        () => IvfIndex.load(exactFile),
        /Error in IvfIndex.load: path must name a metriclab-ivf-index v1 file/,
      );
      const file = tmp('t.ivf');
      build().save(file);
      fs.writeFileSync(file, fs.readFileSync(file).subarray(0, -4));
      assert.throws(() => IvfIndex.load(file), /Error in IvfIndex.load: path must hold \d+ data bytes/);
      fs.rmSync(file);
      fs.rmSync(exactFile);
    });
  });

  describe('HnswIndex', () => {
    const build = () => {
      const hnsw = new HnswIndex(6, { M: 5, efConstruction: 30, efSearch: 40, seed: 9 });
      hnsw.add({ data: x.data.slice(0, 200 * 6), rows: 200, dims: 6 }, ids.slice(0, 200));
      return hnsw;
    };
    const rest = { data: x.data.slice(200 * 6), rows: 100, dims: 6 };

    it('a loaded index answers like the saved one, and grows into the same graph', () => {
      const hnsw = build();
      const file = tmp('a.hnsw');
      hnsw.save(file);
      const loaded = HnswIndex.load(file);
      fs.rmSync(file);
      assert.strictEqual(loaded.size, 200);
      assert.strictEqual(loaded.efSearch, 40);
      sameResults(loaded.search(q, 10), hnsw.search(q, 10));
      // Same random layers for the next vectors: adding the rest to both gives the same answers.
      hnsw.add(rest, ids.slice(200));
      loaded.add(rest, ids.slice(200));
      sameResults(loaded.search(q, 10), hnsw.search(q, 10));
      // The graphs themselves are identical: the two files hold the same bytes.
      const [f1, f2] = [tmp('g1.hnsw'), tmp('g2.hnsw')];
      hnsw.save(f1);
      loaded.save(f2);
      assert.ok(fs.readFileSync(f1).equals(fs.readFileSync(f2)), 'the grown graphs differ');
      fs.rmSync(f1);
      fs.rmSync(f2);
    });

    it('removed ids never come back; with ef over the whole set it is exact over the rest; marks survive save', () => {
      const hnsw = build();
      hnsw.add(rest, ids.slice(200));
      assert.strictEqual(hnsw.remove(dropped), dropped.length);
      assert.strictEqual(hnsw.remove(dropped), 0, 'removing twice removes nothing');
      assert.strictEqual(hnsw.size, 300 - dropped.length);
      hnsw.efSearch = 300;
      const exact = new ExactIndex(6);
      exact.add(x, ids);
      exact.remove(dropped);
      const got = hnsw.search(q, 10);
      const gone = new Set(dropped);
      assert.ok(Array.from(got.ids).every((id) => !gone.has(id)));
      assert.deepStrictEqual(Array.from(got.ids), Array.from(exact.search(q, 10).ids));
      const file = tmp('r.hnsw');
      hnsw.save(file);
      const loaded = HnswIndex.load(file);
      fs.rmSync(file);
      assert.strictEqual(loaded.size, 300 - dropped.length);
      sameResults(loaded.search(q, 10), got);
    });

    it('an index with every vector removed returns padding', () => {
      const hnsw = build();
      hnsw.remove(ids);
      const r = hnsw.search(q, 3);
      assert.ok(Array.from(r.ids).every((id) => id === -1));
      assert.ok(Array.from(r.distances).every((d) => d === Infinity));
    });

    it('refuses a foreign or corrupted file by name', () => {
      const file = tmp('c.hnsw');
      build().save(file);
      const text = fs.readFileSync(file);
      const nl = text.indexOf(10);
      const header = JSON.parse(text.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
      fs.writeFileSync(
        file,
        Buffer.concat([Buffer.from(JSON.stringify({ ...header, format: 'other' }) + '\n'), text.subarray(nl + 1)]),
      );
      assert.throws(
        () => HnswIndex.load(file),
        /Error in HnswIndex.load: path must name a metriclab-hnsw-index v1 file/,
      );
      fs.writeFileSync(
        file,
        Buffer.concat([Buffer.from(JSON.stringify({ ...header, nodes: 201 }) + '\n'), text.subarray(nl + 1)]),
      );
      assert.throws(() => HnswIndex.load(file), /Error in HnswIndex.load: path must hold 201 nodes of 6 dims/);
      fs.rmSync(file);
    });
  });
});
