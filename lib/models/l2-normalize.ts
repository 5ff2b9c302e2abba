/**
 * A layer that scales each row to unit L2 norm, so embeddings live on the unit sphere (squared
 * euclidean distance = 2 - 2 * cosine). Registered with tfjs serialization so that a saved model
 * containing it loads back with `tf.loadLayersModel`.
 */
import * as tf from '../tf';

/** tfjs's own layer arguments (name, trainable, dtype...), as the Layer constructor takes them. */
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface L2NormalizeArgs extends LayerArgs {
  /** Floor on the squared norm, so an all-zero row maps to zeros instead of NaN. Default 1e-12. */
  epsilon?: number;
}

/**
 * x / sqrt(max(sum(x^2), epsilon)) over the last axis.
 *
 * @example
 * const input = tf.input({ shape: [8] });
 * const unit = new L2Normalize().apply(input) as tf.SymbolicTensor;
 */
export class L2Normalize extends tf.layers.Layer {
  /** The name tfjs stores in model.json; must stay stable for saved models to load. */
  static readonly className = 'L2Normalize';
  readonly epsilon: number;

  constructor(args: L2NormalizeArgs = {}) {
    // Deserialisation passes the whole saved config back here, so forward tfjs's own keys.
    const { epsilon = 1e-12, ...layerArgs } = args;
    super(layerArgs);
    this.epsilon = epsilon;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const squared = tf.sum(tf.square(x), -1, true);
      return tf.mul(x, tf.rsqrt(tf.maximum(squared, this.epsilon)));
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(L2Normalize);

/**
 * Functional form of {@link L2Normalize}.
 *
 * @example
 * const layer = l2Normalize({ name: 'unit' });
 */
export function l2Normalize(args: L2NormalizeArgs = {}): L2Normalize {
  return new L2Normalize(args);
}
