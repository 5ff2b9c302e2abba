import * as tf from '../tf';
import { distances } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { pairStats } from './masks';
import type { LossParts } from './base';
import { CLASS_WEIGHT_OPTIONS, CLASS_WEIGHT_REQUIRED, ClassWeightLoss, type ClassWeightOptions } from './class-weights';
import { maskedLogSumExp } from './ops';

export interface ProxyAnchorOptions extends ClassWeightOptions {
  /** Default 0.1. */
  margin?: number;
  /** Default 32. */
  alpha?: number;
}

/** The kind of each option, for the option check and the command line. */
export const PROXY_ANCHOR_OPTIONS: OptionKinds<ProxyAnchorOptions> = {
  ...CLASS_WEIGHT_OPTIONS,
  margin: 'number',
  alpha: 'number',
};

class ProxyAnchorLoss extends ClassWeightLoss {
  private readonly distance = distances.cosine();

  constructor(readonly options: Resolved<ProxyAnchorOptions>) {
    // Proxies drawn as kaiming-normal with fan_out = numClasses, as pytorch-metric-learning.
    super('proxyAnchor', 'mean', options, 'classByDim', Math.sqrt(2 / options.numClasses));
  }

  protected classLoss(embeddings: tf.Tensor2D, oneHot: tf.Tensor2D): LossParts {
    const sim = this.distance.pairwise(embeddings, this.weights as tf.Tensor2D);
    const negMask = tf.sub(1, oneHot);
    const posExp = tf.mul(this.distance.margin(sim, tf.scalar(this.options.margin)), this.options.alpha);
    const negExp = tf.mul(tf.add(this.distance.margin(tf.scalar(0), sim), this.options.margin), this.options.alpha);
    // Per proxy (axis 0 = samples): log(1 + Σ exp(.)); positive terms only for proxies with a positive.
    const posTerms = tf.reshape(maskedLogSumExp(posExp, oneHot, 0, true), [-1]);
    const negTerms = tf.reshape(maskedLogSumExp(negExp, negMask, 0, true), [-1]);
    const withPositive = tf.cast(tf.greater(tf.sum(oneHot, 0), 0), 'float32');
    return {
      groups: [
        { values: posTerms, weights: withPositive, reduction: 'mean' },
        { values: negTerms, weights: null, reduction: 'mean' },
      ],
      ...pairStats(sim, oneHot, negMask),
    };
  }
}

/**
 * Proxy anchor loss (Kim et al. 2020): per proxy, log(1 + Σ_pos e^(-α(s - δ))) averaged over the
 * proxies with a positive in the batch, plus log(1 + Σ_neg e^(α(s + δ))) averaged over all proxies.
 *
 * @example
 * losses.proxyAnchor({ numClasses: 10, embeddingSize: 64, margin: 0.1, alpha: 32, seed: 1 });
 */
export function proxyAnchor(options: ProxyAnchorOptions): ClassWeightLoss {
  const fn = 'proxyAnchor';
  checkOptions(fn, options, PROXY_ANCHOR_OPTIONS, CLASS_WEIGHT_REQUIRED);
  const { numClasses, embeddingSize } = options;
  const o = withDefaults<ProxyAnchorOptions>({ numClasses, embeddingSize, seed: 0, margin: 0.1, alpha: 32 }, options);
  checkNumber(fn, 'margin', o.margin, { min: 0 });
  checkNumber(fn, 'alpha', o.alpha, { min: 0, minExclusive: true });
  return new ProxyAnchorLoss(o);
}
