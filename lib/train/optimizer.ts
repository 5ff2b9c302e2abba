/** Optimizers by name, so options files and the CLI can say `{ name: 'adam', learningRate }`. */
import * as tf from '../tf';
import type { OptimizerSpec } from './types';
import { checkNumber, checkOneOf, fail } from '../validate';

const NAMES = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;

/**
 * Creates a tf.Optimizer from a spec; `owned` says whether the caller must dispose it.
 *
 * @example
 * const { optimizer, owned } = resolveOptimizer({ name: 'adam', learningRate: 1e-3 });
 */
export function resolveOptimizer(
  spec: tf.Optimizer | OptimizerSpec | undefined,
  /** The option's name in error messages ('optimizer', 'lossOptimizer'). */
  arg = 'optimizer',
): {
  optimizer: tf.Optimizer;
  owned: boolean;
} {
  // tf.Optimizer's instanceof check reads a property, so rule out null/undefined first.
  if (spec !== undefined && spec !== null && spec instanceof tf.Optimizer) return { optimizer: spec, owned: false };
  const s = spec ?? { name: 'adam', learningRate: 1e-3 };
  if (typeof s !== 'object') fail('train', arg, 'be a tf.Optimizer or { name, learningRate }', s);
  const name = checkOneOf('train', `${arg}.name`, s.name, NAMES);
  const lr = checkNumber('train', `${arg}.learningRate`, s.learningRate, { min: 0, minExclusive: true });
  switch (name) {
    case 'adam':
      return { optimizer: tf.train.adam(lr), owned: true };
    case 'sgd':
      return { optimizer: tf.train.sgd(lr), owned: true };
    case 'momentum':
      return { optimizer: tf.train.momentum(lr, 0.9), owned: true };
    case 'rmsprop':
      return { optimizer: tf.train.rmsprop(lr), owned: true };
  }
}
