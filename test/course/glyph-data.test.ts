import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeGlyphCourseData, disposeGlyphCourseData, prepareGlyphCourseData } from '../../lib/course';
import { readGlyphFiles, locateGlyphs } from '../../lib/data';

describe('prepareGlyphCourseData', function () {
  const meta = readGlyphFiles(locateGlyphs()!.dir).meta;
  const evaluation = meta.scripts.filter((s) => s.set === 'evaluation').map((s) => s.name);
  const scriptOf = (label: number): string => meta.classes[label].script;

  it('trains on background scripts with labels 0..C-1; validation and test are disjoint evaluation scripts', async function () {
    const before = tf.memory().numTensors;
    const g = await prepareGlyphCourseData({ trainImages: 400, evalImages: 200 });
    try {
      assert.deepEqual(g.train.x.shape, [400, 28, 28, 1]);
      assert.equal(g.validation.y.length, 200);
      assert.equal(g.test.y.length, 200);
      // Dense training labels: every value in 0..C-1 used, and trainClassIds maps them back.
      assert.deepEqual(
        [...new Set(g.train.y)].sort((a, b) => a - b),
        [...Array(g.numTrainClasses).keys()],
      );
      assert.equal(g.trainClassIds.length, g.numTrainClasses);
      for (const id of g.trainClassIds)
        assert.equal(meta.scripts.find((s) => s.name === scriptOf(id))?.set, 'background');
      // Default: every other evaluation script validates, the rest test.
      assert.deepEqual(
        g.validationScripts,
        evaluation.filter((_, i) => i % 2 === 0),
      );
      assert.deepEqual(
        g.testScripts,
        evaluation.filter((_, i) => i % 2 === 1),
      );
      for (const l of g.validation.y) assert.ok(g.validationScripts.includes(scriptOf(l)), `validation label ${l}`);
      for (const l of g.test.y) assert.ok(g.testScripts.includes(scriptOf(l)), `test label ${l}`);
      // Whole classes of 20 images: 200 images are 10 classes.
      assert.equal(new Set(g.test.y).size, 200 / meta.instancesPerClass);
      assert.match(
        describeGlyphCourseData(g),
        /^glyphs \(.*\): train 400 images, \d+ classes of 26 background scripts; /,
      );
    } finally {
      disposeGlyphCourseData(g);
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('takes the validation scripts it is given', async function () {
    const g = await prepareGlyphCourseData({ validationScripts: [evaluation[1]], trainImages: 40, evalImages: 40 });
    try {
      assert.deepEqual(g.validationScripts, [evaluation[1]]);
      assert.deepEqual(g.testScripts, [evaluation[0], ...evaluation.slice(2)]);
    } finally {
      disposeGlyphCourseData(g);
    }
  });

  it('names the function and the argument on bad input', async function () {
    await assert.rejects(
      prepareGlyphCourseData({ validationScripts: ['Latin'] }),
      /prepareGlyphCourseData: validationScripts must name evaluation scripts .* but got Latin/,
    );
    await assert.rejects(
      prepareGlyphCourseData({ validationScripts: evaluation }),
      /prepareGlyphCourseData: validationScripts must name some, not all, of the evaluation scripts/,
    );
    await assert.rejects(prepareGlyphCourseData({ evalImages: 0 }), /prepareGlyphCourseData: evalImages/);
  });
});
