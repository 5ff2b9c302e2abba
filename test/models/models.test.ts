import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../lib/tf';
import { describeAllBackends, expectClose, expectNoLeak } from '../helpers/backends';
import {
  classifierCrossEntropy,
  classifierHead,
  cnnEmbedder,
  EMBEDDING_LAYER,
  L2Normalize,
  loadModel,
  mlpEmbedder,
  saveModel,
} from '../../lib/models';

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

describeAllBackends('models', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-models-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('L2Normalize scales rows to unit norm and maps a zero row to zeros', () => {
    const out = tf.tidy(() =>
      (
        new L2Normalize().apply(
          tf.tensor2d([
            [3, 4],
            [0, 0],
            [-1, 0],
          ]),
        ) as tf.Tensor
      ).arraySync(),
    ) as number[][];
    expectClose(out.flat(), [0.6, 0.8, 0, 0, -1, 0], 1e-6, 0, 'normalized');
  });

  it('mlpEmbedder gives unit-norm embeddings of the requested size from image or flat input', () => {
    const model = mlpEmbedder({ inputShape: [4, 4, 1], hidden: [16, 8], embeddingDim: 5, seed: 3 });
    const x = tf.randomUniform([6, 4, 4, 1], 0, 1, 'float32', 1);
    const emb = model.predict(x) as tf.Tensor2D;
    assert.deepEqual(emb.shape, [6, 5]);
    const norms = tf.tidy(() => emb.norm('euclidean', 1).dataSync());
    expectClose(norms, [1, 1, 1, 1, 1, 1], 1e-5, 0, 'row norms');
    tf.dispose([x, emb]);
    model.dispose();
    const raw = mlpEmbedder({ inputShape: [16], embeddingDim: 5, normalize: false, projection: 7, seed: 3 });
    assert.equal(raw.getLayer('projection').outputShape[1], 7);
    assert.ok(!raw.layers.some((l) => l instanceof L2Normalize), 'normalize: false adds no L2Normalize layer');
    raw.dispose();
  });

  it('the same seed gives the same weights; another seed gives different ones', () => {
    const make = (seed: number) => mlpEmbedder({ inputShape: [10], hidden: [12], embeddingDim: 4, seed });
    const [a, b, c] = [make(7), make(7), make(8)];
    const [wa, wb, wc] = [weightsOf(a), weightsOf(b), weightsOf(c)];
    wa.forEach((w, i) => assert.deepEqual(w, wb[i], `weight ${i} differs for the same seed`));
    assert.notDeepEqual(wa[0], wc[0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('cnnEmbedder maps 28x28 images to unit embeddings', () => {
    const model = cnnEmbedder({ embeddingDim: 8, filters: [4, 8], dense: 16, seed: 1 });
    const out = tf.tidy(() => (model.predict(tf.ones([2, 28, 28, 1])) as tf.Tensor).norm('euclidean', 1).dataSync());
    expectClose(out, [1, 1], 1e-5, 0, 'row norms');
    model.dispose();
  });

  for (const kind of ['mlp', 'cnn'] as const) {
    it(`save/load round-trip of the ${kind} embedder gives bit-identical outputs`, async () => {
      const model =
        kind === 'mlp'
          ? mlpEmbedder({ inputShape: [28, 28, 1], hidden: [32], embeddingDim: 6, projection: 12, seed: 5 })
          : cnnEmbedder({ embeddingDim: 6, filters: [4, 8], dense: 16, seed: 5 });
      const dir = path.join(tmp, kind);
      await saveModel(model, dir);
      const json = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
      assert.ok(json.includes('"L2Normalize"'), 'the custom layer is stored by its registered class name');
      const loaded = await loadModel(dir);
      const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 2);
      assert.deepEqual(predict(loaded, x), predict(model, x));
      x.dispose();
      model.dispose();
      loaded.dispose();
    });
  }

  it('loadModel names the missing file', async () => {
    await assert.rejects(loadModel(path.join(tmp, 'nothing')), /Error in loadModel: dir must contain model\.json/);
  });

  it('classifierHead shares the embedder weights and reads the pre-normalisation embedding', () => {
    const embedder = mlpEmbedder({ inputShape: [6], hidden: [8], embeddingDim: 3, seed: 1 });
    const classifier = classifierHead(embedder, 4, { seed: 2 });
    assert.equal(classifier.getLayer(EMBEDDING_LAYER), embedder.getLayer(EMBEDDING_LAYER));
    assert.deepEqual(classifier.outputs[0].shape, [null, 4]);
    // logits = embedding(pre-norm) · W + b, checked with a plain loop.
    const x = tf.tensor2d([[1, -2, 0.5, 0, 3, 1]]);
    const pre = tf.model({ inputs: embedder.inputs, outputs: embedder.getLayer(EMBEDDING_LAYER).output });
    const e = predict(pre, x);
    const [w, b] = classifier
      .getLayer('logits')
      .getWeights()
      .map((t) => t.arraySync()) as [number[][], number[]];
    const expected = b.map((bj, j) => bj + e.reduce((s, ei, i) => s + ei * w[i][j], 0));
    expectClose(predict(classifier, x), expected, 1e-5, 1e-5, 'logits');
    x.dispose();
    classifier.dispose();
  });

  it('classifierCrossEntropy matches a plain-loop softmax cross-entropy and counts errors', () => {
    const logits = [
      [2, 0, -1],
      [0.5, 0.5, 3],
      [1, 2, 0],
    ];
    const labels = [0, 1, 1];
    let sum = 0;
    for (let i = 0; i < 3; i++) {
      const z = Math.log(logits[i].reduce((s, v) => s + Math.exp(v), 0));
      sum += z - logits[i][labels[i]];
    }
    const t = tf.tensor2d(logits);
    const { value, stats } = expectNoLeak(() => {
      const r = classifierCrossEntropy().compute(t, labels);
      const v = r.loss.dataSync()[0];
      r.loss.dispose();
      return { value: v, stats: r.stats };
    });
    expectClose([value], [sum / 3], 1e-5, 1e-5, 'loss');
    assert.equal(stats.activeTerms, 1);
    assert.throws(
      () => classifierCrossEntropy().compute(t, [0, 1, 3]),
      /labels must lie in \[0, 2\], but got 3 at index 2/,
    );
    t.dispose();
  });

  it('bad options name the function and the argument', () => {
    assert.throws(
      () => mlpEmbedder({ inputShape: [10], embeddingDim: 0, seed: 1 }),
      /Error in mlpEmbedder: embeddingDim must be >= 1, but got 0/,
    );
    assert.throws(
      () => cnnEmbedder({ inputShape: [784], seed: 1 }),
      /Error in cnnEmbedder: inputShape must be \[height, width, channels\], but got \[784\]/,
    );
    assert.throws(
      () => mlpEmbedder({ inputShape: [10], activation: 'relu6' as 'relu', seed: 1 }),
      /Error in mlpEmbedder: activation must be one of 'relu', 'elu', 'tanh', but got "relu6"/,
    );
  });
});
