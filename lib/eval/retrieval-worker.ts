/**
 * Worker-thread entry for the retrieval metrics (see retrieval-threads.ts): selects the caller's
 * backend in this thread, scores the chunks it claims, reports through shared memory.
 */
import { workerData } from 'worker_threads';
import * as tf from '../tf';
import { ready, useBackend } from '../backend';
import { runWorker, type WorkerInput } from './retrieval-threads';

void runWorker(workerData as WorkerInput, async (name) => {
  // Importing the backend module starts the automatic selection: let it finish before switching,
  // or it could switch (and reinitialise) the backend under the first matmul.
  await ready();
  if (tf.getBackend() !== name) await useBackend(name === 'cpu' ? 'cpu' : 'wasm');
  // The cpu backend's "install tfjs-node" banner was already shown (or not) by the caller.
  const cpu = tf.engine().findBackend('cpu');
  if (cpu && 'firstUse' in cpu) Reflect.set(cpu, 'firstUse', false);
});
