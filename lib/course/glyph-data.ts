/**
 * The glyph set cut for the course's open-set protocol: train on the background scripts,
 * choose models on some evaluation scripts, report on the other evaluation scripts. Whole
 * scripts are held out, so validation and test classes share no class (nor script) with
 * training or with each other.
 */
import * as tf from '../tf';
import { loadGlyphs } from '../data/glyphs';
import type { LoadedGlyphs } from '../data/glyphs/load';
import { checkNumber, fail } from '../validate';
import type { LabelledImages } from './data';

export interface GlyphCourseOptions {
  /** Evaluation scripts used for validation; default every other one (metadata order, from the first). */
  validationScripts?: readonly string[];
  /** Most training images (whole classes, spread over the scripts). Default all. */
  trainImages?: number;
  /** Most images in each of validation and test (whole classes). Default all. */
  evalImages?: number;
  /** Look only here (see loadGlyphs). */
  dataDir?: string;
}

export interface GlyphCourseData {
  /** Training images with labels renumbered 0..numTrainClasses-1 (what proxy and softmax losses need). */
  train: LabelledImages;
  /** Images of the validation scripts (global glyph labels). */
  validation: LabelledImages;
  /** Images of the test scripts (global glyph labels). */
  test: LabelledImages;
  numTrainClasses: number;
  /** The global glyph label of each training label: `trainClassIds[y]`. */
  trainClassIds: number[];
  trainScripts: string[];
  validationScripts: string[];
  testScripts: string[];
  source: string;
}

function asImages(x: tf.Tensor4D, labels: Int32Array): LabelledImages {
  return { x, y: labels };
}

/**
 * Loads the glyph set split by script: background scripts for training, the evaluation scripts
 * split into validation and test scripts.
 *
 * @example
 * const g = await prepareGlyphCourseData({ trainImages: 6000, evalImages: 800 });
 * g.numTrainClasses; // 300: labels 0..299, e.g. for losses.arcFace({ numClasses: 300, ... })
 * describeGlyphCourseData(g); // 'glyphs: train 6000 images, 300 classes of 26 scripts; ...'
 * disposeGlyphCourseData(g);
 */
export async function prepareGlyphCourseData(options: GlyphCourseOptions = {}): Promise<GlyphCourseData> {
  const fn = 'prepareGlyphCourseData';
  if (options.trainImages !== undefined) checkNumber(fn, 'trainImages', options.trainImages, { min: 1, integer: true });
  if (options.evalImages !== undefined) checkNumber(fn, 'evalImages', options.evalImages, { min: 1, integer: true });
  const background = await loadGlyphs({ split: 'background', limit: options.trainImages, dataDir: options.dataDir });
  const loaded: tf.Tensor[] = [background.images];
  try {
    const scripts = background.meta.scripts.filter((s) => s.set === 'evaluation').map((s) => s.name);
    const validationScripts = options.validationScripts ?? scripts.filter((_, i) => i % 2 === 0);
    if (
      !Array.isArray(validationScripts) ||
      validationScripts.length === 0 ||
      validationScripts.length >= scripts.length
    )
      fail(
        fn,
        'validationScripts',
        `name some, not all, of the evaluation scripts (${scripts.join(', ')})`,
        validationScripts,
      );
    for (const s of validationScripts)
      if (!scripts.includes(s)) fail(fn, 'validationScripts', `name evaluation scripts (${scripts.join(', ')})`, s);
    const evalPart = async (names: string[]) => {
      const part = await loadGlyphs({
        split: 'evaluation',
        scripts: names,
        limit: options.evalImages,
        dataDir: options.dataDir,
      });
      loaded.push(part.images);
      return part;
    };
    const validation = await evalPart([...validationScripts]);
    const test = await evalPart(scripts.filter((s) => !validationScripts.includes(s)));
    return withDenseTrainLabels(background, validation, test);
  } catch (e) {
    tf.dispose(loaded);
    throw e;
  }
}

function withDenseTrainLabels(background: LoadedGlyphs, validation: LoadedGlyphs, test: LoadedGlyphs): GlyphCourseData {
  const trainClassIds = [...new Set(background.labels)].sort((a, b) => a - b);
  const dense = new Map(trainClassIds.map((c, i) => [c, i]));
  return {
    train: asImages(
      background.images,
      Int32Array.from(background.labels, (c) => dense.get(c) ?? -1),
    ),
    validation: asImages(validation.images, validation.labels),
    test: asImages(test.images, test.labels),
    numTrainClasses: trainClassIds.length,
    trainClassIds,
    trainScripts: background.scripts,
    validationScripts: validation.scripts,
    testScripts: test.scripts,
    source: background.source,
  };
}

/**
 * One-line description of the split for a notebook's log.
 *
 * @example
 * const g = await prepareGlyphCourseData({ trainImages: 200, evalImages: 100 });
 * console.log(describeGlyphCourseData(g)); // 'glyphs (...): train 200 images, ... classes of ... scripts; ...'
 * disposeGlyphCourseData(g);
 */
export function describeGlyphCourseData(g: GlyphCourseData): string {
  const classes = (y: Int32Array): number => new Set(y).size;
  return (
    `glyphs (${g.source}): train ${g.train.y.length} images, ${g.numTrainClasses} classes of ${g.trainScripts.length} background scripts; ` +
    `validation ${g.validation.y.length} images, ${classes(g.validation.y)} classes of ${g.validationScripts.join(', ')}; ` +
    `test ${g.test.y.length} images, ${classes(g.test.y)} classes of ${g.testScripts.join(', ')}`
  );
}

/**
 * Releases the tensors of `prepareGlyphCourseData`.
 *
 * @example
 * const g = await prepareGlyphCourseData({ trainImages: 200, evalImages: 100 });
 * disposeGlyphCourseData(g); // its train, validation and test tensors
 */
export function disposeGlyphCourseData(g: GlyphCourseData): void {
  tf.dispose([g.train.x, g.validation.x, g.test.x]);
}
