import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeIdx, IdxFormatError, parseIdx, readIdx, writeIdx, type IdxArray } from '../../lib/data/idx';
import { useTmpDir } from './tmp-dir';

describe('IDX reader and writer', function () {
  const tmp = useTmpDir('idx');

  const cases: IdxArray[] = [
    { dtype: 'uint8', shape: [2, 3], data: Uint8Array.of(0, 1, 2, 253, 254, 255) },
    { dtype: 'int8', shape: [3], data: Int8Array.of(-128, 0, 127) },
    { dtype: 'int16', shape: [2], data: Int16Array.of(-300, 30000) },
    { dtype: 'int32', shape: [1, 2], data: Int32Array.of(-70000, 2 ** 31 - 1) },
    { dtype: 'float32', shape: [2], data: Float32Array.of(1.5, -0.25) },
    { dtype: 'float64', shape: [2], data: Float64Array.of(Math.PI, -1e300) },
  ];
  for (const c of cases) {
    it(`round-trips ${c.dtype}, raw and gzip, through files`, function () {
      for (const name of [`${c.dtype}.idx`, `${c.dtype}.idx.gz`]) {
        const file = path.join(tmp(), name);
        writeIdx(file, c);
        const back = readIdx(file);
        assert.equal(back.dtype, c.dtype);
        assert.deepEqual(back.shape, c.shape);
        assert.deepEqual(Array.from(back.data), Array.from(c.data));
      }
    });
  }

  it('writes the documented big-endian header by hand', function () {
    const bytes = encodeIdx({ dtype: 'int16', shape: [2], data: Int16Array.of(1, -2) });
    // 00 00 0b 01 | 00 00 00 02 | 00 01 | ff fe
    assert.deepEqual(Array.from(bytes), [0, 0, 0x0b, 1, 0, 0, 0, 2, 0, 1, 0xff, 0xfe]);
  });

  it('detects gzip by magic bytes, not by name', function () {
    const file = path.join(tmp(), 'no-extension');
    fs.writeFileSync(file, zlib.gzipSync(encodeIdx({ dtype: 'uint8', shape: [2], data: Uint8Array.of(7, 9) })));
    assert.deepEqual(Array.from(readIdx(file).data), [7, 9]);
  });

  function expectFormatError(bytes: Uint8Array, pattern: RegExp): void {
    const file = path.join(tmp(), 'bad.idx');
    fs.writeFileSync(file, bytes);
    assert.throws(
      () => readIdx(file),
      (e: unknown) => {
        assert.ok(e instanceof IdxFormatError, `expected IdxFormatError, got ${String(e)}`);
        assert.equal(e.file, file);
        assert.ok(e.message.startsWith(`Error in readIdx: ${file}: `), e.message);
        assert.match(e.message, pattern);
        return true;
      },
    );
  }

  const good = encodeIdx({ dtype: 'uint8', shape: [4, 2], data: new Uint8Array(8) });
  it('rejects a wrong magic number, naming the file', function () {
    const bad = good.slice();
    bad[0] = 0x50; // e.g. a PNG or HTML page saved under the IDX name
    expectFormatError(bad, /wrong magic number \(50 00 08 02\)/);
  });
  it('rejects an unknown dtype code', function () {
    const bad = good.slice();
    bad[2] = 0x07;
    expectFormatError(bad, /unknown dtype code 0x07/);
  });
  it('rejects truncated data with the expected and actual byte counts', function () {
    expectFormatError(
      good.subarray(0, good.length - 3),
      /truncated: shape \[4,2\] of uint8 needs 20 bytes, but the data has 17/,
    );
  });
  it('rejects trailing bytes', function () {
    expectFormatError(Uint8Array.from([...good, 1]), /has trailing bytes/);
  });
  it('rejects a truncated header', function () {
    expectFormatError(good.subarray(0, 6), /truncated header: 2 dimensions need 12 bytes, file has 6/);
  });
  it('rejects a truncated gzip stream', function () {
    const gz = zlib.gzipSync(good);
    expectFormatError(gz.subarray(0, gz.length - 6), /gzip data is corrupt or truncated/);
  });
  it('names a missing file', function () {
    assert.throws(() => readIdx(path.join(tmp(), 'missing.gz')), /missing\.gz: cannot be read \(ENOENT\)/);
  });
  it('refuses to encode data that does not match the shape', function () {
    assert.throws(
      () => encodeIdx({ dtype: 'uint8', shape: [2, 2], data: new Uint8Array(3) }),
      /Error in encodeIdx: data must have 4 values for shape \[2,2\], but got 3/,
    );
    assert.throws(() => parseIdx(new Uint8Array([0, 0])), /<buffer>: file is 2 bytes, too short/);
  });
});
