import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { trainWithValidation, type LabelledImages, type ValidationPoint } from '../../lib/course';
import { mlpEmbedder } from '../../lib/models';
import { losses } from '../../lib/losses';
import { ready } from '../../lib/backend';
import { patterns } from './patterns';

/** Every trainable weight of `model` as plain numbers, by name. */
function weightsByName(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.trainableWeights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

describe('course: trainWithValidation weightDecay and onCheck', () => {
  let train: LabelledImages;
  let validation: LabelledImages;
  before(async () => {
    await ready();
    train = patterns([0, 1, 2, 3], 12, 1.2, 5);
    validation = patterns([4, 5], 10, 1.2, 6);
  });
  after(() => tf.dispose([train.x, validation.x]));

  const base = (learningRate: number) => ({
    model: mlpEmbedder({ inputShape: [100], hidden: [16], embeddingDim: 4, seed: 1 }),
    loss: losses.tripletMargin({ margin: 0.2 }),
    train,
    validation,
    steps: 12,
    evalEvery: 3,
    classesPerBatch: 4,
    samplesPerClass: 3,
    seed: 2,
    optimizer: { name: 'adam' as const, learningRate },
  });

  it('shrinks every kernel by (1 - lr * weightDecay) per step and leaves biases alone (no leak)', async () => {
    // Learning rate 1e-12: the gradient steps move nothing measurable, so only the decay acts.
    const options = base(1e-12);
    const names = options.model.trainableWeights.map((w) => w.originalName);
    assert.ok(names.some((n) => /kernel$/.test(n)) && names.some((n) => /bias$/.test(n)), names.join(', '));
    // Non-zero biases, so that "not decayed" is visible (they are initialised to 0).
    tf.tidy(() =>
      options.model.setWeights(
        options.model.getWeights().map((w, i) => (/bias$/.test(names[i]) ? tf.fill(w.shape, 0.5) : w)),
      ),
    );
    const initial = weightsByName(options.model);
    const seenAt = new Map<number, Map<string, Float32Array>>();
    const weightDecay = 1e10; // lr * wd = 0.01: 1% per step
    const before = tf.memory().numTensors;
    await trainWithValidation({
      ...options,
      weightDecay,
      onCheck: (point, embedder) => {
        seenAt.set(point.step, weightsByName(embedder));
      },
    });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual([...seenAt.keys()], [0, 3, 6, 9, 12]);
    for (const [step, weights] of seenAt) {
      for (const [name, now] of weights) {
        const start = initial.get(name)!;
        const factor = /kernel$/.test(name) ? 0.99 ** step : 1;
        for (let i = 0; i < now.length; i++) {
          const want = start[i] * factor;
          assert.ok(
            Math.abs(now[i] - want) <= 1e-5 * Math.abs(start[i]) + 1e-7,
            `${name}[${i}] at step ${step}: ${now[i]}, expected ${want}`,
          );
        }
      }
    }
    options.model.dispose();
  });

  it('weightDecay 0 (or absent) trains exactly as before', async () => {
    const a = base(0.05);
    const b = base(0.05);
    const runA = await trainWithValidation(a);
    const runB = await trainWithValidation({ ...b, weightDecay: 0 });
    assert.deepEqual(runB.validation, runA.validation);
    a.model.dispose();
    b.model.dispose();
  });

  it('with real training, decay leaves smaller kernels than no decay', async () => {
    const a = base(0.05);
    const b = base(0.05);
    const norm = (m: tf.LayersModel): number =>
      m.trainableWeights
        .filter((w) => /kernel$/.test(w.originalName))
        .reduce((s, w) => s + tf.tidy(() => tf.sum(tf.square(w.read())).dataSync()[0]), 0);
    let plain = NaN;
    let decayed = NaN;
    await trainWithValidation({
      ...a,
      onCheck: (p, e) => {
        if (p.step === 12) plain = norm(e);
      },
    });
    await trainWithValidation({
      ...b,
      weightDecay: 2,
      onCheck: (p, e) => {
        if (p.step === 12) decayed = norm(e);
      },
    });
    // 12 steps at 10% per step: at most 0.9^24 of the squared norm if the gradient did nothing; it does something.
    assert.ok(decayed < 0.8 * plain, `squared kernel norm with decay ${decayed}, without ${plain}`);
    a.model.dispose();
    b.model.dispose();
  });

  it('onCheck sees every check (step 0 too) and does not change model choice', async () => {
    const a = base(0.05);
    const b = base(0.05);
    const plain = await trainWithValidation(a);
    const points: ValidationPoint[] = [];
    const embedders: tf.LayersModel[] = [];
    const before = tf.memory().numTensors;
    const hooked = await trainWithValidation({
      ...b,
      onCheck: async (point, embedder) => {
        points.push(point);
        embedders.push(embedder);
        // Work with tensors of its own, disposed here, as a notebook scoring seen classes would.
        const e = tf.tidy(() => embedder.predict(train.x.reshape([train.y.length, 100])) as tf.Tensor);
        e.dispose();
        await Promise.resolve();
      },
    });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(points, hooked.validation);
    assert.ok(embedders.every((e) => e === b.model));
    assert.deepEqual(hooked.validation, plain.validation);
    assert.equal(hooked.bestStep, plain.bestStep);
    a.model.dispose();
    b.model.dispose();
  });

  it('refuses bad weightDecay and onCheck, naming the argument', async () => {
    const options = base(1e-3);
    await assert.rejects(
      trainWithValidation({ ...options, weightDecay: -0.1 }),
      /Error in trainWithValidation: weightDecay must be >= 0, but got -0.1/,
    );
    await assert.rejects(
      trainWithValidation({ ...options, weightDecay: Number.NaN }),
      /trainWithValidation: weightDecay must be a finite number/,
    );
    await assert.rejects(
      trainWithValidation({ ...options, weightDecay: 1000 }),
      /weightDecay must keep learningRate \* weightDecay below 1 \(learning rate 0.001\), but got 1000/,
    );
    await assert.rejects(
      // @ts-expect-error: a string is not a hook
      trainWithValidation({ ...options, onCheck: 'seen' }),
      /trainWithValidation: onCheck must be a function/,
    );
    options.model.dispose();
  });
});
