import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';
import { gradientError, randomEmbeddings } from '../losses/helpers';
import {
  backwardCompatibility,
  classPrototypes,
  concatImages,
  continualLoss,
  crossModelScores,
  embeddingDistillation,
  replayBuffer,
  withTeacher,
} from '../../lib/continual';
import { losses } from '../../lib/losses';
import { mlpEmbedder } from '../../lib/models';
import { pixelEmbedding, probeScores } from '../../lib/course';
import type { MetricLoss } from '../../lib/types';

/** Runs fn and asserts that the one tensor it returns is the only tensor it left behind. */
function onlyOutput<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  assert.equal(tf.memory().numTensors - before, 1, 'tensors left behind besides the result');
  return out;
}

const rows = (t: tf.Tensor2D): number[][] => t.arraySync();
const dist = (a: number[], b: number[]): number => Math.sqrt(a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0));

/** Relational (distance-wise) distillation written as plain loops. */
function relationalReference(s: number[][], t: number[][]): number {
  const n = s.length;
  const pairs = (x: number[][]): number[][] => x.map((a, i) => x.map((b, j) => (i === j ? 0 : dist(a, b))));
  const ds = pairs(s);
  const dt = pairs(t);
  const mean = (d: number[][]): number => d.flat().reduce((a, b) => a + b, 0) / (n * (n - 1));
  const [ms, mt] = [mean(ds), mean(dt)];
  let total = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const e = Math.abs(ds[i][j] / ms - dt[i][j] / mt);
      total += e < 1 ? 0.5 * e * e : e - 0.5;
    }
  return total / (n * (n - 1));
}

/** Influence loss as plain loops: softmax over s·cos(e, p_c), cross-entropy on the label. */
function influenceReference(e: number[][], p: number[][], y: number[], s: number): number {
  const unit = (v: number[]): number[] => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const P = p.map(unit);
  return (
    e
      .map(unit)
      .map((u, i) => {
        const logits = P.map((q) => s * u.reduce((a, v, k) => a + v * q[k], 0));
        const m = Math.max(...logits);
        const lse = m + Math.log(logits.reduce((a, l) => a + Math.exp(l - m), 0));
        return lse - logits[y[i]];
      })
      .reduce((a, b) => a + b, 0) / e.length
  );
}

/** A distillation term as a MetricLoss of [student | teacher] rows, for the gradient helper. */
const asLoss = (compute: (e: tf.Tensor2D) => tf.Scalar): MetricLoss => ({
  name: 'probe',
  trainableWeights: () => [],
  compute: (e) => ({
    loss: compute(e),
    stats: { terms: 0, activeTerms: 0, fractionActive: 0, meanPositiveDistance: NaN, meanNegativeDistance: NaN },
  }),
});

describeAllBackends('embeddingDistillation', () => {
  it('l2 is the mean squared distance between matching rows; relational matches the plain-loop reference', () => {
    const s = randomEmbeddings(5, 3, 1);
    const t = randomEmbeddings(5, 3, 2);
    const l2 = expectNoLeak(() => tf.tidy(() => embeddingDistillation({ type: 'l2' }).compute(s, t).dataSync()[0]));
    const ref = rows(s).reduce((a, r, i) => a + dist(r, rows(t)[i]) ** 2, 0) / 5;
    expectClose([l2], [ref], 1e-5, 1e-4, 'l2');
    const rel = tf.tidy(() => embeddingDistillation({ type: 'relational' }).compute(s, t).dataSync()[0]);
    expectClose([rel], [relationalReference(rows(s), rows(t))], 1e-5, 1e-4, 'relational');
    assert.ok(rel > 0.01, `random spaces differ in their relations (${rel})`);
    tf.dispose([s, t]);
  });

  it('a rotated and scaled copy costs nothing relationally but a lot in l2', () => {
    const s = randomEmbeddings(6, 2, 3);
    const c = Math.cos(1.1);
    const n = Math.sin(1.1);
    const t = tf.tidy(
      () =>
        tf.mul(
          tf.matMul(
            s,
            tf.tensor2d([
              [c, n],
              [-n, c],
            ]),
          ),
          3,
        ) as tf.Tensor2D,
    );
    const value = (type: 'l2' | 'relational'): number =>
      tf.tidy(() => embeddingDistillation({ type }).compute(s, t).dataSync()[0]);
    assert.ok(value('relational') < 1e-6, `relational: ${value('relational')}`);
    assert.ok(value('l2') > 1, `l2: ${value('l2')}`);
    tf.dispose([s, t]);
  });

  for (const type of ['l2', 'relational'] as const) {
    it(`${type}: analytic gradient matches central differences, no leak`, () => {
      const e = randomEmbeddings(5, 6, 4); // [student 3 | teacher 3]
      const term = embeddingDistillation({ type });
      const loss = asLoss((x) =>
        term.compute(tf.slice(x, [0, 0], [5, 3]) as tf.Tensor2D, tf.slice(x, [0, 3], [5, 3]) as tf.Tensor2D),
      );
      const err = gradientError(loss, e, [0, 0, 0, 0, 0]);
      assert.ok(err < 2e-2, `${type}: gradient error ${err}`);
      expectNoLeak(() => tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, []).loss)(e)));
      e.dispose();
    });
  }

  it('rejects bad input with the function and argument named', () => {
    const s = randomEmbeddings(3, 2, 1);
    const t = randomEmbeddings(2, 2, 1);
    const wide = randomEmbeddings(3, 4, 1);
    assert.throws(
      () => embeddingDistillation({ type: 'kl' as 'l2' }),
      /Error in embeddingDistillation: options.type must be one of 'l2', 'relational', but got "kl"/,
    );
    const l2 = embeddingDistillation({ type: 'l2' });
    assert.throws(() => l2.compute(s, t), /teacher must have one row per student row \(3\), but got 2 rows/);
    assert.throws(() => l2.compute(s, wide), /teacher must have the student's width \(2\)/);
    assert.doesNotThrow(() => tf.tidy(() => embeddingDistillation({ type: 'relational' }).compute(s, wide)));
    assert.throws(
      () => embeddingDistillation({ type: 'relational' }).compute(s.slice(0, 1), t.slice(0, 1)),
      /student must have at least 2 rows/,
    );
    tf.dispose([s, t, wide]);
  });
});

describeAllBackends('backward compatibility (BCT influence loss)', () => {
  it('classPrototypes: unit mean of the unit embeddings of each class', () => {
    const e = tf.tensor2d([
      [2, 0],
      [0.8, 0.6],
      [0, 3],
      [0, -1],
      [1, 1],
    ]);
    const p = onlyOutput(() => classPrototypes(e, [0, 0, 1, 2, 2], 3));
    const s = 1 / Math.SQRT2;
    const m2 = Math.hypot(s, s - 1);
    expectClose(
      p.dataSync(),
      [1.8 / Math.hypot(1.8, 0.6), 0.6 / Math.hypot(1.8, 0.6), 0, 1, s / m2, (s - 1) / m2],
      1e-5,
      1e-4,
    );
    assert.throws(
      () => classPrototypes(e, [0, 0, 1, 1, 1], 3),
      /labels must hold at least one image of every class, but got none of class 2/,
    );
    assert.throws(
      () => classPrototypes(e, [0, 0, 1, 5, 1], 3),
      /Error in classPrototypes: labels must lie in \[0, 3\), but got 5 at index 3/,
    );
    tf.dispose([e, p]);
  });

  it('matches the plain-loop reference, and is small when the embeddings sit on their prototypes', () => {
    const e = randomEmbeddings(6, 4, 5);
    const p = randomEmbeddings(3, 4, 6);
    const y = [0, 1, 2, 0, 1, 2];
    const bct = backwardCompatibility({ prototypes: p, scale: 4 });
    const v = expectNoLeak(() => tf.tidy(() => bct.compute(e, y).dataSync()[0]));
    expectClose([v], [influenceReference(rows(e), rows(p), y, 4)], 1e-5, 1e-4);
    const onTarget = tf.gather(p, [0, 1, 2, 0, 1, 2]) as tf.Tensor2D;
    const near = tf.tidy(() => bct.compute(onTarget, y).dataSync()[0]);
    assert.ok(near < v, `on the prototypes ${near} < random ${v}`);
    tf.dispose([e, p, onTarget]);
  });

  it('analytic gradient matches central differences, no leak', () => {
    const p = randomEmbeddings(3, 4, 7);
    const bct = backwardCompatibility({ prototypes: p, scale: 4 });
    const loss = asLoss((x) => bct.compute(x, [0, 1, 2, 2, 1, 0]));
    const e = randomEmbeddings(6, 4, 8);
    assert.ok(gradientError(loss, e, []) < 2e-2);
    expectNoLeak(() => tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, []).loss)(e)));
    tf.dispose([p, e]);
  });

  it('rejects bad input with the function and argument named', () => {
    const p = randomEmbeddings(3, 4, 7);
    const bct = backwardCompatibility({ prototypes: p });
    const e = randomEmbeddings(2, 4, 1);
    assert.throws(
      () => bct.compute(e, [0, 3]),
      /Error in backwardCompatibility: labels must name a prototype row in \[0, 3\), but got 3 at index 1/,
    );
    assert.throws(() => bct.compute(e, [0]), /labels must have one entry per embedding \(2\), but got 1/);
    const narrow = randomEmbeddings(2, 3, 1);
    assert.throws(
      () => bct.compute(narrow, [0, 1]),
      /embeddings must have the prototypes' width \(4\), but got width 3/,
    );
    assert.throws(() => backwardCompatibility({ prototypes: p, scale: 0 }), /options.scale must be > 0/);
    assert.throws(
      () => backwardCompatibility({ prototypes: tf.zeros([3]) as unknown as tf.Tensor2D }),
      /options.prototypes must be a 2-D tensor/,
    );
    tf.dispose([p, e, narrow]);
  });
});

describe('replay buffer', () => {
  const labels = Int32Array.from([0, 1, 0, 1, 0, 2, 1, 0, 0, 1]);
  const images = (): { x: tf.Tensor4D; y: Int32Array } => ({
    // pixel (0,0) holds the image's index, so the test can see which images were kept
    x: tf.tidy(
      () => tf.reshape(tf.range(0, 10).reshape([10, 1, 1, 1]).tile([1, 2, 2, 1]), [10, 2, 2, 1]) as tf.Tensor4D,
    ),
    y: labels,
  });

  it('keeps perClass seeded images of each class (all of a smaller class), labels consistent', () => {
    const data = images();
    const buffer = onlyOutput(() => replayBuffer(data, { perClass: 2, seed: 1 }));
    const kept = Array.from(tf.tidy(() => buffer.x.slice([0, 0, 0, 0], [-1, 1, 1, 1]).reshape([-1]).dataSync()));
    assert.deepEqual(Array.from(buffer.y), [0, 0, 1, 1, 2]);
    kept.forEach((idx, k) => assert.equal(labels[idx], buffer.y[k], `image ${idx} has label ${buffer.y[k]}`));
    const again = replayBuffer(data, { perClass: 2, seed: 1 });
    assert.deepEqual(Array.from(again.x.dataSync()), Array.from(buffer.x.dataSync()), 'same seed, same buffer');
    const seeds = [2, 3, 4, 5].map((seed) => {
      const b = replayBuffer(data, { perClass: 2, seed });
      const v = Array.from(b.x.dataSync()).join();
      b.x.dispose();
      return v;
    });
    assert.ok(
      seeds.some((v) => v !== Array.from(buffer.x.dataSync()).join()),
      'other seeds pick other images',
    );
    tf.dispose([data.x, buffer.x, again.x]);
  });

  it('concatImages appends, and both reject bad input', () => {
    const data = images();
    const both = concatImages(data, { x: data.x.slice(0, 3), y: labels.slice(0, 3) });
    assert.deepEqual(both.x.shape, [13, 2, 2, 1]);
    assert.deepEqual(Array.from(both.y.slice(10)), [0, 1, 0]);
    assert.throws(
      () => replayBuffer(data, { perClass: 0, seed: 1 }),
      /Error in replayBuffer: options.perClass must be >= 1, but got 0/,
    );
    assert.throws(
      () => replayBuffer({ x: data.x, y: labels.slice(0, 3) }, { perClass: 1, seed: 1 }),
      /images.y must be an Int32Array with one label per image \(10\)/,
    );
    const other = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    assert.throws(
      () => concatImages(data, { x: other, y: Int32Array.from([0]) }),
      /Error in concatImages: b must hold images of a's shape \[2,2,1\]/,
    );
    tf.dispose([data.x, both.x, other]);
  });
});

describe('withTeacher and continualLoss', () => {
  const make = (seed: number): tf.LayersModel => mlpEmbedder({ inputShape: [4], hidden: [5], embeddingDim: 3, seed });

  it('outputs [student | teacher], trains only the student, and the teacher stays as it was', async () => {
    const teacher = make(2);
    const start = tf.memory().numTensors;
    const student = make(1);
    const pair = await withTeacher(student, teacher);
    assert.equal(pair.trainableWeights.length, student.trainableWeights.length);
    const x = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    const out = pair.predict(x) as tf.Tensor2D;
    const s = student.predict(x) as tf.Tensor2D;
    const t0 = teacher.predict(x) as tf.Tensor2D;
    expectClose(out.dataSync(), tf.concat([s, t0], 1).dataSync(), 1e-6, 1e-6);
    const loss = continualLoss({
      loss: losses.tripletMargin({ margin: 0.5 }),
      embeddingDim: 3,
      distillation: embeddingDistillation({ type: 'l2' }),
    });
    const opt = tf.train.adam(0.05);
    const y = [0, 0, 1, 1];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      opt.minimize(() => loss.compute(pair.apply(x, { training: true }) as tf.Tensor2D, y).loss);
    }
    const t1 = teacher.predict(x) as tf.Tensor2D;
    expectClose(t1.dataSync(), t0.dataSync(), 0, 0, 'teacher after training');
    const s1 = student.predict(x) as tf.Tensor2D;
    assert.ok(tf.tidy(() => tf.sub(s1, s).abs().max().dataSync()[0]) > 1e-4, 'the student moved');
    tf.dispose([t1, s1]);
    assert.ok(tf.memory().numTensors - before <= 8, 'no growth beyond the optimizer slots');
    tf.dispose([out, s]);
    opt.dispose();
    const beforeDispose = tf.memory().numTensors;
    pair.dispose(); // the student and the teacher's copy, not the teacher
    const freed = beforeDispose - tf.memory().numTensors;
    assert.ok(
      freed >= 8,
      `disposing the pair frees the student's and the copy's 4 weights each (freed ${freed}, ${tf.memory().numTensors - start} left since start)`,
    );
    const still = teacher.predict(x) as tf.Tensor2D;
    expectClose(still.dataSync(), t0.dataSync(), 0, 0, 'the teacher survives the pair');
    tf.dispose([still, x, t0]);
    teacher.dispose();
  });

  it('adds λ·distillation and λ·compatibility to the base loss on the student half; gradient and leak', async () => {
    const e = randomEmbeddings(6, 6, 9);
    const y = [0, 0, 1, 1, 2, 2];
    const base = losses.tripletMargin({ margin: 0.5 });
    const protos = randomEmbeddings(3, 3, 10);
    const distillation = embeddingDistillation({ type: 'relational' });
    const compatibility = backwardCompatibility({ prototypes: protos, scale: 4 });
    const loss = continualLoss({
      loss: base,
      embeddingDim: 3,
      distillation,
      distillationWeight: 0.5,
      compatibility,
      compatibilityWeight: 2,
    });
    const value = expectNoLeak(() => tf.tidy(() => loss.compute(e, y).loss.dataSync()[0]));
    const expected = tf.tidy(() => {
      const s = e.slice([0, 0], [6, 3]) as tf.Tensor2D;
      const t = e.slice([0, 3], [6, 3]) as tf.Tensor2D;
      return (
        base.compute(s, y).loss.dataSync()[0] +
        0.5 * distillation.compute(s, t).dataSync()[0] +
        2 * compatibility.compute(s, y).dataSync()[0]
      );
    });
    expectClose([value], [expected], 1e-5, 1e-5);
    assert.ok(gradientError(loss, e, y) < 2e-2);
    expectNoLeak(() => tf.tidy(() => void tf.grad((x: tf.Tensor) => loss.compute(x as tf.Tensor2D, y).loss)(e)));
    const studentOnly = continualLoss({ loss: base, embeddingDim: 3, compatibility });
    assert.doesNotThrow(() => tf.tidy(() => studentOnly.compute(e.slice([0, 0], [6, 3]) as tf.Tensor2D, y).loss));
    assert.throws(
      () => loss.compute(e.slice([0, 0], [6, 3]) as tf.Tensor2D, y),
      /Error in continualLoss: embeddings must have width 6 \(withTeacher's output\) when distilling, but got 3/,
    );
    assert.throws(
      () => loss.compute(e.slice([0, 0], [6, 4]) as tf.Tensor2D, y),
      /embeddings must have width 3 \(student\) or 6/,
    );
    assert.throws(() => continualLoss({ loss: base, embeddingDim: 0 }), /options.embeddingDim must be >= 1/);
    assert.throws(
      () => continualLoss({ loss: base, embeddingDim: 3, distillationWeight: -1 }),
      /options.distillationWeight must be >= 0/,
    );
    await assert.rejects(
      () => withTeacher(make(1), mlpEmbedder({ inputShape: [5], embeddingDim: 3, seed: 1 })),
      /Error in withTeacher: teacher must take the student's input shape/,
    );
    tf.dispose([e, protos]);
  });
});

describe('crossModelScores', () => {
  it('equals the ordinary query/gallery score with one model, and falls to chance with an incompatible one', () => {
    // 4 classes, 6 images each: class c lights pixel c (plus a little noise)
    const y = Int32Array.from({ length: 24 }, (_, i) => i % 4);
    const x = tf.tidy(() =>
      tf.add(
        tf.oneHot(tf.tensor1d(y, 'int32'), 4).reshape([24, 2, 2, 1]),
        tf.randomUniform([24, 2, 2, 1], 0, 0.1, 'float32', 1),
      ),
    ) as tf.Tensor4D;
    const queries = { x: x.slice(0, 8), y: y.slice(0, 8) };
    const gallery = { x: x.slice(8), y: y.slice(8) };
    const same = expectNoLeak(() => crossModelScores(pixelEmbedding, pixelEmbedding, queries, gallery));
    const ref = probeScores(pixelEmbedding, [{ name: 'p', queries, gallery }]).p;
    assert.deepEqual(same, ref);
    assert.equal(same.recallAt1, 1);
    // the "new model" permutes the coordinates: classes stay separated, but not where the old gallery is
    const shuffled = (im: tf.Tensor4D): tf.Tensor2D =>
      tf.tidy(() => tf.gather(tf.reshape(im, [im.shape[0], 4]), [1, 2, 3, 0], 1) as tf.Tensor2D);
    assert.equal(crossModelScores(shuffled, shuffled, queries, gallery).recallAt1, 1);
    assert.equal(crossModelScores(shuffled, pixelEmbedding, queries, gallery).recallAt1, 0);
    assert.throws(
      () => crossModelScores(pixelEmbedding, (im) => tf.zeros([im.shape[0], 3]) as tf.Tensor2D, queries, gallery),
      /Error in crossModelScores: galleryEmbed must give the query embeddings' width \(4\), but got width 3/,
    );
    tf.dispose([x, queries.x, gallery.x]);
  });
});
