/**
 * The softmax baseline: a linear classifier on top of an embedder's `embedding` layer. The
 * returned model reuses the embedder's layer objects, so training the classifier trains the
 * embedder too, and `embedder.predict(x)` gives the (normalised) embeddings of the same weights.
 */
import * as tf from '../tf';
import { EMBEDDING_LAYER } from './head';
import { SeededInitializers } from './initializers';
import { checkPositiveInt } from './options';
import type { SeedLike } from '../random';
import type { LabelsLike, LossResult, MetricLoss } from '../types';
import { checkEmbeddings, fail, labelsToArray } from '../validate';

export interface ClassifierHeadOptions {
  /** Seed for the logits layer's initialiser. Default 0. */
  seed?: SeedLike;
}

/**
 * A model mapping the embedder's input to `numClasses` logits, computed from the embedder's
 * `embedding` layer (before L2 normalisation, so logits are not capped at the weights' norm), or
 * from its output when it has no such layer.
 *
 * @example
 * const embedder = mlpEmbedder({ inputShape: [784], seed: 1 });
 * const classifier = classifierHead(embedder, 10);
 * await train({ model: classifier, loss: classifierCrossEntropy(), sampler, data, epochs: 2 });
 * const emb = embedder.predict(x); // embeddings from the jointly trained weights
 */
export function classifierHead(
  backbone: tf.LayersModel,
  numClasses: number,
  options: ClassifierHeadOptions = {},
): tf.LayersModel {
  const fn = 'classifierHead';
  if (!(backbone instanceof tf.LayersModel)) fail(fn, 'backbone', 'be a tf.LayersModel', typeof backbone);
  checkPositiveInt(fn, 'numClasses', numClasses);
  const hasEmbedding = backbone.layers.some((l) => l.name === EMBEDDING_LAYER);
  const features = hasEmbedding ? backbone.getLayer(EMBEDDING_LAYER).output : backbone.outputs[0];
  if (Array.isArray(features)) fail(fn, 'backbone', 'have a single embedding output', `${features.length} outputs`);
  const init = new SeededInitializers(options.seed ?? 0);
  const logits = tf.layers
    .dense({ units: numClasses, kernelInitializer: init.glorot(), name: 'logits' })
    .apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: backbone.inputs, outputs: logits, name: `${backbone.name}_classifier` });
}

/**
 * Softmax cross-entropy written as a MetricLoss whose "embeddings" are a classifier's logits, so
 * the softmax baseline trains with the same `train` loop as the metric losses. Stats: `terms` is
 * the batch size, `activeTerms` the misclassified rows (fractionActive = batch error rate); the
 * distance means are NaN because no distances are involved.
 *
 * @example
 * const loss = classifierCrossEntropy();
 * const { loss: value } = loss.compute(model.predict(x) as tf.Tensor2D, labels); // model: a classifierHead
 */
export function classifierCrossEntropy(): MetricLoss {
  const fn = 'classifierCrossEntropy';
  return {
    name: 'classifierCrossEntropy',
    trainableWeights: () => [],
    compute(logits: tf.Tensor2D, labels: LabelsLike): LossResult {
      const n = checkEmbeddings(fn, logits, { checkFinite: false, arg: 'logits' });
      const y = labelsToArray(fn, labels, n);
      const classes = logits.shape[1];
      for (let i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= classes) fail(fn, 'labels', `lie in [0, ${classes - 1}]`, `${y[i]} at index ${i}`);
      }
      const wrong = tf.tidy(() => {
        const predicted = tf.argMax(logits, 1);
        return tf.notEqual(predicted, tf.tensor1d(y, 'int32')).sum().dataSync()[0];
      });
      const loss = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), classes), logits));
      return {
        loss: loss as tf.Scalar,
        stats: {
          terms: n,
          activeTerms: wrong,
          fractionActive: n === 0 ? 0 : wrong / n,
          meanPositiveDistance: NaN,
          meanNegativeDistance: NaN,
        },
      };
    },
  };
}
