/** Embedders, the L2-normalize layer, the softmax-baseline head, embedding a set in chunks, and file save/load. */
export { L2Normalize, l2Normalize, type L2NormalizeArgs } from './l2-normalize';
export { SeededInitializers, type Initializer } from './initializers';
export { type Activation, type HeadOptions } from './options';
export { EMBEDDING_LAYER, NORMALIZE_LAYER } from './head';
export { mlpEmbedder, type MlpEmbedderOptions } from './mlp';
export { cnnEmbedder, type CnnEmbedderOptions } from './cnn';
export { classifierHead, classifierCrossEntropy, type ClassifierHeadOptions } from './classifier';
export { fileSystemHandler, saveModel, loadModel, MODEL_JSON, WEIGHTS_BIN } from './io';
export { embed } from './embed';
