import * as tf from '../tf';
import { l2NormalizeRows } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { pairStats } from './masks';
import type { LossParts } from './base';
import {
  CLASS_WEIGHT_OPTIONS,
  CLASS_WEIGHT_REQUIRED,
  ClassWeightLoss,
  crossEntropy,
  type ClassWeightOptions,
} from './class-weights';

export interface MarginSoftmaxOptions extends ClassWeightOptions {
  /** ArcFace: angular margin in degrees (default 28.6); CosFace: cosine margin (default 0.35). */
  margin?: number;
  /** Logit scale s (default 64). */
  scale?: number;
}

/** The kind of each option, for the option check and the command line. */
export const MARGIN_SOFTMAX_OPTIONS: OptionKinds<MarginSoftmaxOptions> = {
  ...CLASS_WEIGHT_OPTIONS,
  margin: 'number',
  scale: 'number',
};

const COS_CLAMP = 1 - 1e-7;

/** Checks the options of arcFace or cosFace; `maxMargin` bounds their different margins. */
function resolveMarginSoftmax(
  fn: string,
  options: MarginSoftmaxOptions,
  margin: number,
  maxMargin: number,
): Resolved<MarginSoftmaxOptions> {
  checkOptions(fn, options, MARGIN_SOFTMAX_OPTIONS, CLASS_WEIGHT_REQUIRED);
  const { numClasses, embeddingSize } = options;
  const o = withDefaults<MarginSoftmaxOptions>({ numClasses, embeddingSize, seed: 0, margin, scale: 64 }, options);
  checkNumber(fn, 'margin', o.margin, { min: 0, max: maxMargin });
  checkNumber(fn, 'scale', o.scale, { min: 0, minExclusive: true });
  return o;
}

/** Cross-entropy on scale·cos(θ_j), with the true class's cosine replaced by `withMargin(cos)`. */
class MarginSoftmaxLoss extends ClassWeightLoss {
  constructor(
    name: string,
    readonly options: Resolved<MarginSoftmaxOptions>,
    private readonly withMargin: (cos: tf.Tensor) => tf.Tensor,
  ) {
    // Class weights [D, C] (pytorch-metric-learning's W layout), xavier-normal scale.
    super(name, 'mean', options, 'dimByClass', Math.sqrt(2 / (options.embeddingSize + options.numClasses)));
  }

  protected classLoss(embeddings: tf.Tensor2D, oneHot: tf.Tensor2D): LossParts {
    const w = tf.transpose(l2NormalizeRows(tf.transpose(this.weights as tf.Tensor2D)));
    const cos = tf.matMul(l2NormalizeRows(embeddings), w);
    const target = tf.where(tf.cast(oneHot, 'bool'), this.withMargin(cos), cos);
    return {
      groups: [{ values: crossEntropy(tf.mul(target, this.options.scale), oneHot), weights: null }],
      ...pairStats(cos, oneHot, tf.sub(1, oneHot)),
    };
  }
}

/**
 * ArcFace (Deng et al. 2019): cross-entropy on s·cos(θ_y + m) for the true class and s·cos(θ_j)
 * for the others; θ between the normalized embedding and the normalized class weight column.
 *
 * @example
 * const loss = losses.arcFace({ numClasses: 10, embeddingSize: 64, margin: 28.6, scale: 64, seed: 1 });
 */
export function arcFace(options: MarginSoftmaxOptions): ClassWeightLoss {
  const o = resolveMarginSoftmax('arcFace', options, 28.6, 180);
  const m = (o.margin * Math.PI) / 180;
  return new MarginSoftmaxLoss('arcFace', o, (cos) =>
    tf.cos(tf.add(tf.acos(tf.clipByValue(cos, -COS_CLAMP, COS_CLAMP)), m)),
  );
}

/**
 * CosFace (Wang et al. 2018): cross-entropy on s·(cos θ_y - m) for the true class, s·cos θ_j otherwise.
 *
 * @example
 * const loss = losses.cosFace({ numClasses: 10, embeddingSize: 64, margin: 0.35, scale: 64, seed: 1 });
 */
export function cosFace(options: MarginSoftmaxOptions): ClassWeightLoss {
  const o = resolveMarginSoftmax('cosFace', options, 0.35, 2);
  return new MarginSoftmaxLoss('cosFace', o, (cos) => tf.sub(cos, o.margin));
}
