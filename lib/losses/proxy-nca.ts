import * as tf from '../tf';
import { distances } from '../distances';
import { checkOptions, withDefaults, type OptionKinds, type Resolved } from '../options';
import { checkNumber } from '../validate';
import { pairStats } from './masks';
import { LOSS_REDUCTIONS, type LossParts, type LossReduction } from './base';
import {
  CLASS_WEIGHT_OPTIONS,
  CLASS_WEIGHT_REQUIRED,
  ClassWeightLoss,
  crossEntropy,
  type ClassWeightOptions,
} from './class-weights';

export interface ProxyNCAOptions extends ClassWeightOptions {
  /** Multiplies the negative squared distances before the softmax (default 1). */
  softmaxScale?: number;
  reduction?: LossReduction;
}

/** The kind of each option, for the option check and the command line. */
export const PROXY_NCA_OPTIONS: OptionKinds<ProxyNCAOptions> = {
  ...CLASS_WEIGHT_OPTIONS,
  softmaxScale: 'number',
  reduction: LOSS_REDUCTIONS,
};

class ProxyNCALoss extends ClassWeightLoss {
  private readonly distance = distances.euclidean({ squared: true, normalize: true });

  constructor(readonly options: Resolved<ProxyNCAOptions>) {
    super('proxyNCA', options.reduction, options, 'classByDim', 1);
  }

  protected classLoss(embeddings: tf.Tensor2D, oneHot: tf.Tensor2D): LossParts {
    const mat = this.distance.pairwise(embeddings, this.weights as tf.Tensor2D);
    return {
      groups: [{ values: crossEntropy(tf.mul(mat, -this.options.softmaxScale), oneHot), weights: null }],
      ...pairStats(mat, oneHot, tf.sub(1, oneHot)),
    };
  }
}

/**
 * Proxy-NCA (Movshovitz-Attias et al. 2017), pytorch-metric-learning's form: cross-entropy of a
 * softmax over -scale·d²(x, proxy_c), with x and the proxies L2-normalized. Owns the proxies [C, D].
 *
 * @example
 * const loss = losses.proxyNCA({ numClasses: 10, embeddingSize: 64, seed: 1 });
 * loss.compute(embeddings, labels); // labels in [0, 10)
 */
export function proxyNCA(options: ProxyNCAOptions): ClassWeightLoss {
  const fn = 'proxyNCA';
  checkOptions(fn, options, PROXY_NCA_OPTIONS, CLASS_WEIGHT_REQUIRED);
  const { numClasses, embeddingSize } = options;
  const o = withDefaults<ProxyNCAOptions>(
    { numClasses, embeddingSize, seed: 0, softmaxScale: 1, reduction: 'mean' },
    options,
  );
  checkNumber(fn, 'softmaxScale', o.softmaxScale, { min: 0, minExclusive: true });
  return new ProxyNCALoss(o);
}
