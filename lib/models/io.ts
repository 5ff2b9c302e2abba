/**
 * Saving and loading models as plain files (model.json + weights.bin), the layout tfjs-node's
 * `file://` handler writes, but with Node's fs only, so it works on the wasm and cpu backends.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../tf';
// Loaded models may contain the custom layer; importing it registers its class.
import './l2-normalize';
import { fail } from '../validate';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(buf.byteLength);
  new Uint8Array(out).set(buf);
  return out;
}

/**
 * A tf.io.IOHandler that writes to / reads from a directory.
 *
 * @example
 * await model.save(fileSystemHandler('out/model'));
 * const again = await tf.loadLayersModel(fileSystemHandler('out/model'));
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        fail('saveModel', 'model', 'be a layers model (JSON topology)', 'a binary topology');
      }
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await fs.promises.mkdir(dir, { recursive: true });
      await fs.promises.writeFile(path.join(dir, WEIGHTS_BIN), Buffer.from(weightData));
      await fs.promises.writeFile(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_JSON);
      if (!fs.existsSync(jsonPath)) fail('loadModel', 'dir', `contain ${MODEL_JSON}`, `'${dir}'`);
      const modelJson = JSON.parse(await fs.promises.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers: Buffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) buffers.push(await fs.promises.readFile(path.join(dir, p)));
        }
        return [tf.io.getWeightSpecs(manifest), toArrayBuffer(Buffer.concat(buffers))];
      });
    },
  };
}

/**
 * Saves a model's topology and weights to `dir` (created if missing).
 *
 * @example
 * await saveModel(model, 'runs/triplet/model');
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  if (!(model instanceof tf.LayersModel)) fail('saveModel', 'model', 'be a tf.LayersModel', typeof model);
  return model.save(fileSystemHandler(dir));
}

/**
 * Loads a model saved by {@link saveModel}; outputs are identical on the same backend.
 *
 * @example
 * const model = await loadModel('runs/triplet/model');
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemHandler(dir));
}
