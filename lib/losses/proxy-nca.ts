import * as tf from '../tf';
import { distances } from '../distances';
import { checkNumber } from '../validate';
import { pairStats } from './masks';
import type { LossParts, LossReduction } from './base';
import { ClassWeightLoss, crossEntropy, type ClassWeightOptions } from './class-weights';

export interface ProxyNCAOptions extends ClassWeightOptions {
  /** Multiplies the negative squared distances before the softmax (default 1). */
  softmaxScale?: number;
  reduction?: LossReduction;
}

class ProxyNCALoss extends ClassWeightLoss {
  private readonly distance = distances.euclidean({ squared: true, normalize: true });

  constructor(
    options: ProxyNCAOptions,
    private readonly softmaxScale: number,
  ) {
    super('proxyNCA', options.reduction ?? 'mean', options, 'classByDim', 1);
  }

  protected classLoss(embeddings: tf.Tensor2D, oneHot: tf.Tensor2D): LossParts {
    const mat = this.distance.pairwise(embeddings, this.weights as tf.Tensor2D);
    return {
      groups: [{ values: crossEntropy(tf.mul(mat, -this.softmaxScale), oneHot), weights: null }],
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
  const scale = checkNumber('proxyNCA', 'softmaxScale', options.softmaxScale ?? 1, { min: 0, minExclusive: true });
  return new ProxyNCALoss(options, scale);
}
