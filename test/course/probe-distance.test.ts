import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { baselineRetrieval, probeScores, retrievalRows, trainWithValidation } from '../../lib/course';
import { mlpEmbedder } from '../../lib/models';
import { losses } from '../../lib/losses';
import { distances } from '../../lib/distances';

// Two classes told apart by direction only, each at lengths 1 and 10: cosine ranks them perfectly,
// euclidean finds the other class at the same length first.
function directionClasses(): { x: tf.Tensor4D; y: Int32Array } {
  const rows = [
    [1, 0, 0, 0],
    [10, 0, 0, 0],
    [1, 0.3, 0, 0],
    [10, 3, 0, 0],
  ];
  return { x: tf.tensor4d(rows.flat(), [4, 2, 2, 1]), y: Int32Array.from([0, 0, 1, 1]) };
}

describe('course: probes with a distance choice', () => {
  it('probeScores, retrievalRows and baselineRetrieval rank by the given distance (default cosine)', () => {
    const data = directionClasses();
    const probes = [{ name: 'p', queries: data }];
    const flat = (x: tf.Tensor4D): tf.Tensor2D => tf.reshape(x, [x.shape[0], -1]);
    assert.equal(probeScores(flat, probes).p.recallAt1, 1);
    assert.equal(probeScores(flat, probes, { distance: 'cosine' }).p.recallAt1, 1);
    assert.equal(probeScores(flat, probes, { distance: 'euclidean' }).p.recallAt1, 0);
    const rows = retrievalRows('m', 1, flat, probes, { distance: 'euclidean' });
    assert.deepEqual(
      rows.map((r) => [r.method, r.seed, r.probe, r.recallAt1]),
      [['m', 1, 'p', 0]],
    );
    const base = baselineRetrieval({
      probes,
      seeds: [1],
      distance: 'euclidean',
      makeModel: (seed) => mlpEmbedder({ inputShape: [2, 2, 1], hidden: [4], embeddingDim: 2, seed }),
    });
    assert.equal(base.find((r) => r.method === 'pixels')?.recallAt1, 0);
    tf.dispose(data.x);
  });

  it('trainWithValidation scores validation with validationDistance', async () => {
    const data = directionClasses();
    const train = { x: tf.concat([data.x, data.x]) as tf.Tensor4D, y: Int32Array.from([0, 0, 1, 1, 0, 0, 1, 1]) };
    const score = async (validationDistance: 'euclidean' | 'cosine' | undefined): Promise<number> => {
      // A model with no hidden layer and no normalisation, learning rate ~0: it stays at its
      // initial weights, so validation scores are those of one fixed linear map.
      const model = mlpEmbedder({ inputShape: [2, 2, 1], hidden: [], embeddingDim: 4, normalize: false, seed: 3 });
      const run = await trainWithValidation({
        model,
        loss: losses.tripletMargin({ distance: distances.euclidean({ squared: true, normalize: false }) }),
        train,
        validation: data,
        steps: 1,
        evalEvery: 1,
        classesPerBatch: 2,
        samplesPerClass: 2,
        seed: 1,
        optimizer: { name: 'sgd', learningRate: 1e-12 },
        validationDistance,
      });
      const direct = probeScores((x) => model.predict(x) as tf.Tensor2D, [{ name: 'v', queries: data }], {
        distance: validationDistance,
      }).v;
      assert.ok(Math.abs(run.validation[0].mapAtR - direct.mapAtR) < 1e-9);
      model.dispose();
      return run.validation[0].recallAt1;
    };
    const [l2, cos, dflt] = [await score('euclidean'), await score('cosine'), await score(undefined)];
    assert.equal(cos, dflt);
    assert.notEqual(l2, cos, 'a random linear map keeps some of the length difference');
    tf.dispose([data.x, train.x]);
  });
});
