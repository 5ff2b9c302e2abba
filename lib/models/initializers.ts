/**
 * Seeded weight initialisers: each layer draws its own 31-bit seed from one `Random`, so a model
 * built twice from the same seed has identical weights, and adding a layer at the end does not
 * change the weights of the layers before it.
 */
import * as tf from '../tf';
import { type SeedLike, toRandom, type Random } from '../random';

/** tfjs's initializer class (not exported by name from the tfjs namespace). */
export type Initializer = ReturnType<typeof tf.initializers.heNormal>;

/**
 * Hands out initialisers with consecutive seeds from one generator.
 *
 * @example
 * const init = new SeededInitializers(42);
 * tf.layers.dense({ units: 8, kernelInitializer: init.he() });
 */
export class SeededInitializers {
  private readonly rng: Random;

  constructor(seed: SeedLike) {
    this.rng = toRandom(seed);
  }

  /** He normal: keeps activation variance steady through ReLU layers. */
  he(): Initializer {
    return tf.initializers.heNormal({ seed: this.rng.seedInt() });
  }

  /** Glorot uniform (Keras's default): for the linear layers (embedding, logits). */
  glorot(): Initializer {
    return tf.initializers.glorotUniform({ seed: this.rng.seedInt() });
  }
}
