/**
 * Replay (rehearsal) for continual learning: keep a small, fixed buffer of old-class images and
 * mix it into the new stage's training data, so every batch still shows the old classes. The
 * buffer is a seeded random sample of `perClass` images of each class (random selection is the
 * strong, simple baseline of the continual-learning literature; herding-style selection is a
 * refinement).
 */
import * as tf from '../tf';
import type { LabelledImages } from '../course/data';
import { indicesByClass } from '../data/splits';
import { toRandom, type SeedLike } from '../random';
import { checkNumber, fail } from '../validate';

export interface ReplayBufferOptions {
  /** Images kept per class (all of a class when it has fewer). */
  perClass: number;
  seed: SeedLike;
}

/**
 * A seeded sample of `perClass` images of each class, in class order (new tensors: dispose `x`).
 *
 * @example
 * const buffer = replayBuffer(stage1.train, { perClass: 20, seed: 1 }); // 20 images of each old class
 * const trainSet = concatImages(stage2.train, buffer);                  // what the new stage trains on
 */
export function replayBuffer(images: LabelledImages, options: ReplayBufferOptions): LabelledImages {
  const fn = 'replayBuffer';
  checkImages(fn, 'images', images);
  const perClass = checkNumber(fn, 'options.perClass', options?.perClass, { min: 1, integer: true });
  const rng = toRandom(options.seed);
  const chosen: number[] = [];
  for (const members of indicesByClass(images.y).values()) {
    const order = rng.permutation(members.length);
    const keep = Array.from(order.slice(0, Math.min(perClass, members.length)), (k) => members[k]);
    chosen.push(...keep.sort((a, b) => a - b));
  }
  const idx = Int32Array.from(chosen);
  return { x: tf.gather(images.x, idx), y: idx.map((i) => images.y[i]) };
}

/**
 * The images and labels of `a` followed by those of `b` (a new tensor: dispose `x`).
 *
 * @example
 * const both = concatImages(stage2.train, replayBuffer(stage1.train, { perClass: 20, seed: 1 }));
 */
export function concatImages(a: LabelledImages, b: LabelledImages): LabelledImages {
  checkImages('concatImages', 'a', a);
  checkImages('concatImages', 'b', b);
  if (a.x.shape.slice(1).join() !== b.x.shape.slice(1).join())
    fail('concatImages', 'b', `hold images of a's shape [${a.x.shape.slice(1)}]`, `[${b.x.shape.slice(1)}]`);
  const y = new Int32Array(a.y.length + b.y.length);
  y.set(a.y);
  y.set(b.y, a.y.length);
  return { x: tf.concat([a.x, b.x]), y };
}

function checkImages(fn: string, arg: string, images: LabelledImages): void {
  if (!(images?.x instanceof tf.Tensor) || images.x.rank !== 4)
    fail(fn, `${arg}.x`, 'be a 4-D image tensor [N, H, W, C]', images?.x);
  if (!(images.y instanceof Int32Array) || images.y.length !== images.x.shape[0])
    fail(fn, `${arg}.y`, `be an Int32Array with one label per image (${images.x.shape[0]})`, images.y?.length);
  if (images.y.length === 0) fail(fn, arg, 'hold at least one image', 'none');
}
