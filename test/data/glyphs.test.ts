import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as tf from '../../lib/tf';
import { command as dataCommand } from '../../lib/cli/data';
import { parseTrainArgs } from '../../lib/cli/train';
import { loadGlyphs, locateGlyphs, readGlyphFiles, type GlyphFont } from '../../lib/data';
import { drawScript } from '../../lib/data/glyphs/generate';
import { readFontInfo } from '../../lib/data/glyphs/sfnt';

const REQUIRED = process.env.METRICLAB_REQUIRE_REFERENCES === '1';

/** True when the installed font file is the one the set was made from (same sha256). */
function sameVersion(font: GlyphFont): boolean {
  return crypto.createHash('sha256').update(fs.readFileSync(font.file)).digest('hex') === font.sha256;
}

describe('glyph set (data/glyphs)', function () {
  this.timeout(60000);
  const dir = locateGlyphs()!.dir;
  const files = readGlyphFiles(dir);
  const { meta } = files;

  it('has >= 1,000 classes of >= 20 scripts, every class with the same >= 10 instances', function () {
    assert.ok(meta.classes.length >= 1000, `${meta.classes.length} classes`);
    assert.ok(meta.scripts.length >= 20, `${meta.scripts.length} scripts`);
    assert.ok(meta.instancesPerClass >= 10);
    const counts = new Int32Array(meta.classes.length);
    for (const l of files.labels) counts[l]++;
    assert.deepEqual([...new Set(counts)], [meta.instancesPerClass]);
    for (const s of meta.scripts)
      assert.ok(
        meta.classes.some((c) => c.script === s.name),
        `${s.name} has classes`,
      );
    // Each class is one character: no code point twice within a script.
    const keys = new Set(meta.classes.map((c) => `${c.script}:${c.codePoint}`));
    assert.equal(keys.size, meta.classes.length);
  });

  it('no two images are pixel copies, and every image has ink', function () {
    const seen = new Set<string>();
    for (let i = 0; i < files.labels.length; i++) {
      const img = files.pixels.subarray(i * 784, (i + 1) * 784);
      // Dense glyphs shrunk to fit (Bamum) can be faint and small letters (Syriac ܝ) tiny, never blank.
      let max = 0;
      let ink = 0;
      for (const v of img) {
        ink += v;
        if (v > max) max = v;
      }
      assert.ok(max >= 32 && ink >= 2 * 255, `image ${i} has no ink (max ${max}, sum ${ink})`);
      seen.add(crypto.createHash('sha1').update(img).digest('hex'));
    }
    assert.equal(seen.size, files.labels.length);
  });

  it('every font is recorded with its Debian package, licence and sha256', function () {
    for (const f of meta.fonts) {
      assert.match(f.package, /^fonts-(noto|dejavu)-/, f.file);
      assert.match(f.license, /Open Font License|Bitstream Vera/, f.file);
      assert.match(f.sha256, /^[0-9a-f]{64}$/);
    }
    const provenance = fs.readFileSync(`${dir}/../PROVENANCE.md`, 'utf8');
    for (const f of meta.fonts) assert.ok(provenance.includes(f.sha256), `PROVENANCE.md lists ${f.file}`);
  });

  it('loads the background and evaluation sets with shapes, labels and disjoint scripts and classes', async function () {
    const bg = await loadGlyphs({ split: 'background' });
    const ev = await loadGlyphs({ split: 'evaluation', flat: true });
    try {
      assert.deepEqual(bg.images.shape, [bg.labels.length, 28, 28, 1]);
      assert.deepEqual(ev.images.shape, [ev.labels.length, 784]);
      assert.equal(bg.labels.length + ev.labels.length, files.labels.length);
      assert.equal(bg.fonts.length, bg.labels.length);
      const [lo, hi] = [tf.min(ev.images).dataSync()[0], tf.max(ev.images).dataSync()[0]];
      assert.ok(lo >= 0 && hi <= 1 && hi > 0.9, `pixels in [0,1]: ${lo}..${hi}`);
      assert.equal(bg.scripts.length + ev.scripts.length, meta.scripts.length);
      for (const s of ev.scripts) assert.ok(!bg.scripts.includes(s), `${s} is in both sets`);
      assert.ok(ev.scripts.length >= 5 && bg.scripts.length >= 10, `${bg.scripts.length} / ${ev.scripts.length}`);
      const bgLabels = new Set(bg.labels);
      for (const l of ev.labels) {
        assert.ok(!bgLabels.has(l), `label ${l} in both sets`);
        assert.ok(ev.scripts.includes(bg.classes[l].script));
      }
      assert.match(bg.classNames[bg.labels[0]], /^\S+ U\+[0-9A-F]{4,5} /u);
    } finally {
      tf.dispose([bg.images, ev.images]);
    }
  });

  it('the within-script split gives disjoint characters of the same scripts', async function () {
    const train = await loadGlyphs({ split: 'background', within: 'train', flat: true });
    const test = await loadGlyphs({ split: 'background', within: 'test', flat: true });
    try {
      const trainLabels = new Set(train.labels);
      const testLabels = new Set(test.labels);
      for (const l of testLabels) assert.ok(!trainLabels.has(l), `class ${l} in both halves`);
      const scriptsOf = (labels: Set<number>): Set<string> => new Set([...labels].map((l) => meta.classes[l].script));
      assert.deepEqual([...scriptsOf(testLabels)].sort(), [...scriptsOf(trainLabels)].sort());
      assert.ok(testLabels.size >= 0.2 * (trainLabels.size + testLabels.size));
    } finally {
      tf.dispose([train.images, test.images]);
    }
  });

  it('keeps only the named scripts, and a limit keeps whole classes first', async function () {
    const name = meta.scripts.find((s) => s.set === 'evaluation')!.name;
    const one = await loadGlyphs({ split: 'evaluation', scripts: [name], flat: true });
    const few = await loadGlyphs({ limit: 3 * meta.instancesPerClass, flat: true });
    try {
      assert.deepEqual(one.scripts, [name]);
      assert.ok(one.labels.every((l) => one.classes[l].script === name));
      assert.equal(one.labels.length, meta.classes.filter((c) => c.script === name).length * meta.instancesPerClass);
      assert.equal(few.labels.length, 3 * meta.instancesPerClass);
      assert.equal(new Set(few.labels).size, 3);
    } finally {
      tf.dispose([one.images, few.images]);
    }
  });

  it('names an absent script and lists the available ones', async function () {
    await assert.rejects(loadGlyphs({ scripts: ['Klingon'] }), (e: Error) => {
      assert.match(e.message, /^Error in loadGlyphs: scripts must name scripts of split 'all': .*Devanagari/);
      assert.match(e.message, /but got 'Klingon'$/);
      return true;
    });
    const bgScript = meta.scripts.find((s) => s.set === 'background')!.name;
    await assert.rejects(
      loadGlyphs({ split: 'evaluation', scripts: [bgScript] }),
      new RegExp(`but got '${bgScript}' \\(it is in another split\\)`),
    );
    await assert.rejects(loadGlyphs({ split: 'train' as 'all' }), /split must be one of 'background'/);
  });

  it('metriclab data lists the glyph set and metriclab train accepts --dataset glyphs', async function () {
    const lines: string[] = [];
    await dataCommand.run([], { out: (t) => void lines.push(t), err: () => {} });
    const out = lines.join('');
    assert.match(out, new RegExp(`^glyphs\\n  ${meta.classes.length} classes, ${files.labels.length} images`, 'm'));
    assert.match(out, /background +\d+ scripts, \d+ classes/);
    assert.equal((await parseTrainArgs(['--dataset', 'glyphs', '--out', 'x'])).dataset, 'glyphs');
  });

  it("every image's font maps its character in its own cmap (no fallback glyphs)", function () {
    const present = meta.fonts.map((f) => fs.existsSync(f.file));
    if (!present.some(Boolean)) {
      const reason = 'the font files are not installed (apt-get install fonts-noto-core)';
      if (REQUIRED) assert.fail(`METRICLAB_REQUIRE_REFERENCES=1: ${reason}`);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    // Fonts of another version than the recorded one are left out (their cmap may differ).
    const cmaps = new Map<number, Set<number> | null>();
    for (let i = 0; i < files.labels.length; i++) {
      const f = files.fonts[i];
      if (!present[f]) continue;
      if (!cmaps.has(f)) cmaps.set(f, sameVersion(meta.fonts[f]) ? readFontInfo(meta.fonts[f].file).codePoints : null);
      const { codePoint } = meta.classes[files.labels[i]];
      assert.ok(
        cmaps.get(f)?.has(codePoint) ?? true,
        `image ${i}: ${meta.fonts[f].file} has no U+${codePoint.toString(16)}`,
      );
    }
  });

  it('re-renders one script to the same bytes twice, and to the shipped images', async function () {
    this.timeout(180000);
    // The script with the fewest fonts whose files are all here in the recorded versions.
    const present = meta.scripts
      .filter((s) => s.fonts.every((f) => fs.existsSync(meta.fonts[f].file) && sameVersion(meta.fonts[f])))
      .sort((a, b) => a.fonts.length - b.fonts.length);
    if (present.length === 0) {
      const reason =
        'no script has all its font files installed in the recorded versions (apt-get install fonts-noto-core)';
      if (REQUIRED) assert.fail(`METRICLAB_REQUIRE_REFERENCES=1: ${reason}`);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    const script = present[0];
    const fonts = script.fonts.map((f) => readFontInfo(meta.fonts[f].file));
    const labels = meta.classes.flatMap((c, l) => (c.script === script.name ? [l] : []));
    const codePoints = labels.map((l) => meta.classes[l].codePoint);
    const first = await drawScript(script.name, fonts, codePoints);
    const second = await drawScript(script.name, fonts, codePoints);
    const digest = (drawn: typeof first): string => {
      const h = crypto.createHash('sha256');
      for (const cls of drawn) for (const d of cls) h.update(d.pixels);
      return h.digest('hex');
    };
    assert.equal(digest(second), digest(first));
    // The shipped images of this script, in the same order (instances of a class are in order).
    labels.forEach((label, c) => {
      const at = files.labels.indexOf(label);
      first[c].forEach((d, k) => {
        const shipped = files.pixels.subarray((at + k) * 784, (at + k + 1) * 784);
        assert.equal(files.labels[at + k], label);
        assert.equal(files.fonts[at + k], script.fonts[d.font], `${script.name} class ${label} instance ${k} font`);
        assert.ok(Buffer.from(shipped).equals(Buffer.from(d.pixels)), `${script.name} class ${label} instance ${k}`);
      });
    });
  });
});
