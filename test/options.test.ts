/**
 * One options object per loss and miner: the factory checks it once (unknown names, booleans,
 * ranges) and the loss or miner keeps it whole, defaults filled in.
 */
import { strict as assert } from 'assert';
import * as tf from '../lib/tf';
import { LOSS_OPTIONS, losses } from '../lib/losses';
import { MINER_OPTIONS, miners } from '../lib/miners';
import { checkOptions, withDefaults } from '../lib/options';

/** Calls a factory as JavaScript would, with options its types do not allow. */
function untyped(factory: unknown, options: unknown): { options?: Record<string, unknown> } {
  return (factory as (o: unknown) => { options?: Record<string, unknown> })(options);
}

const CLASS_SHAPE = { numClasses: 3, embeddingSize: 4 };
/** Options some factories cannot do without. */
const REQUIRED: Record<string, object> = {
  proxyNCA: CLASS_SHAPE,
  proxyAnchor: CLASS_SHAPE,
  arcFace: CLASS_SHAPE,
  cosFace: CLASS_SHAPE,
  softmaxCrossEntropy: CLASS_SHAPE,
  prototypical: { supportPerClass: 1 },
  randomTriplets: { seed: 1 },
};

describe('options: one object per loss and miner, checked once, kept whole', () => {
  it('every loss and miner factory refuses an option name it does not take, naming the ones it does', () => {
    // The name errors use: two miners share a loss's name and say which they are.
    const minerErrorName: Record<string, string> = {
      tripletMargin: 'tripletMarginMiner',
      multiSimilarity: 'multiSimilarityMiner',
    };
    const cases = [
      ...Object.entries(LOSS_OPTIONS).map(([name, table]) => ({
        name,
        table,
        factory: losses[name as keyof typeof losses],
        fn: name,
      })),
      ...Object.entries(MINER_OPTIONS).map(([name, table]) => ({
        name,
        table,
        factory: miners[name as keyof typeof miners],
        fn: minerErrorName[name] ?? name,
      })),
    ];
    assert.equal(cases.length, 15 + 8);
    for (const { name, table, factory, fn } of cases) {
      const expected = `Error in ${fn}: options must name only ${Object.keys(table).join(', ')}, but got 'margn'`;
      assert.throws(() => untyped(factory, { ...REQUIRED[name], margn: 1 }), { message: expected }, name);
    }
  });

  it('a boolean option must be true or false (a truthy string used to switch it on)', () => {
    assert.throws(() => untyped(losses.tripletMargin, { swap: 'no' }), {
      message: "Error in tripletMargin: swap must be true or false, but got 'no'",
    });
    assert.throws(
      () => untyped(losses.marginLoss, { learnBeta: 0 }),
      /Error in marginLoss: learnBeta must be true or false, but got 0/,
    );
    assert.throws(
      () => untyped(losses.proxyNCA, undefined),
      /Error in proxyNCA: options must be an object with numClasses, embeddingSize, but got undefined/,
    );
  });

  it('the loss or miner keeps the whole options object, defaults filled in, an undefined option at its default', () => {
    const triplet = losses.tripletMargin({ margin: 0.1, swap: undefined });
    assert.deepEqual(
      { ...triplet.options, distance: typeof triplet.options.distance },
      { margin: 0.1, distance: 'object', reduction: 'mean', swap: false, smoothLoss: false },
    );
    const before = tf.memory().numTensors;
    const proxy = untyped(losses.proxyAnchor, { ...CLASS_SHAPE, alpha: 16 }) as {
      options: object;
      trainableWeights(): tf.Variable[];
    };
    assert.deepEqual({ ...proxy.options }, { ...CLASS_SHAPE, seed: 0, margin: 0.1, alpha: 16 });
    tf.dispose(proxy.trainableWeights());
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind by making and disposing the loss');
    const miner = untyped(miners.tripletMargin, { type: 'hard' });
    assert.deepEqual(
      { ...miner.options, distance: typeof miner.options?.distance },
      { margin: 0.2, type: 'hard', distance: 'object' },
    );
    assert.deepEqual(
      { ...untyped(miners.distanceWeighted, { seed: 5 }).options },
      { cutoff: 0.5, nonzeroLossCutoff: 1.4, seed: 5 },
    );
  });

  it('checkOptions accepts undefined unless something is required; withDefaults skips undefined', () => {
    assert.doesNotThrow(() => checkOptions('f', undefined, { a: 'number' }));
    assert.throws(() => checkOptions<{ a?: number }>('f', [] as unknown as { a?: number }, { a: 'number' }), {
      message: 'Error in f: options must be an object, but got an array',
    });
    assert.deepEqual(withDefaults<{ a?: number; b?: string }>({ a: 1, b: 'x' }, { a: undefined, b: 'y' }), {
      a: 1,
      b: 'y',
    });
  });
});
