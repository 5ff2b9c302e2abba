import { strict as assert } from 'assert';
import * as tf from '../../lib/tf';
import { ready } from '../../lib/backend';
import { mlpEmbedder } from '../../lib/models';
import { createProgress, NotebookProgress, TerminalProgress, train, type TrainOptions } from '../../lib/train';
import { formatDuration, stepLine } from '../../lib/train/progress';
import { clusters, shuffleSampler, tinyLoss } from './fixtures';

/** A stream that records writes. */
function recorder(isTTY: boolean): { write(s: string): void; isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => void chunks.push(s), text: () => chunks.join('') };
}

describe('train progress', () => {
  let data: { x: tf.Tensor2D; labels: Int32Array };
  before(async () => {
    await ready();
    data = clusters(4, 16, 8, 11);
  });
  after(() => data.x.dispose());

  function options(progress: TrainOptions['progress']): TrainOptions {
    return {
      model: mlpEmbedder({ inputShape: [8], hidden: [8], embeddingDim: 4, seed: 1 }),
      loss: tinyLoss(),
      sampler: shuffleSampler(64, 8, 2), // 8 steps per epoch
      data,
      epochs: 3,
      progress,
    };
  }

  it("progress 'none' prints nothing", async () => {
    const written: string[] = [];
    const out = process.stdout.write;
    const err = process.stderr.write;
    const log = console.log;
    const capture = (s: string | Uint8Array) => (written.push(String(s)), true);
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    console.log = (...a: unknown[]) => void written.push(a.join(' '));
    try {
      await train(options('none'));
    } finally {
      process.stdout.write = out;
      process.stderr.write = err;
      console.log = log;
    }
    assert.deepEqual(written, []);
  });

  it('on a TTY: one line redrawn with \\r (throttled), a kept line per epoch and a closing line', async () => {
    const stream = recorder(true);
    let now = 0;
    // Each step advances the fake clock 40 ms; redraws are at most every 100 ms.
    const reporter = new TerminalProgress({ stream, clock: () => (now += 40), intervalMs: 100 });
    await train(options(reporter));
    const text = stream.text();
    const lines = text.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 4, 'three epoch lines and the end line');
    assert.match(text, /\repoch 1\/3 \[#+\.*\] \d\/8 loss \d\.\d{4} \d+\.\d steps\/s ETA \d:\d\d/);
    const redraws = text.split('\r').length - 1;
    assert.ok(redraws > 3 && redraws < 24, `throttled redraws: ${redraws} for 24 steps`);
    assert.match(lines[3], /^trained 3 epochs, 24 steps in \d:\d\d$/);
  });

  it("off a TTY ('bar' or 'lines'): only one line per epoch plus the closing line, no \\r", async () => {
    const stream = recorder(false);
    await train(options(createProgress('bar', stream)));
    const text = stream.text();
    assert.ok(!text.includes('\r'));
    assert.deepEqual(
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' loss')[0].split(',')[0]),
      ['epoch 1/3', 'epoch 2/3', 'epoch 3/3', 'trained 3 epochs'],
    );
  });

  it('in a notebook: one display updated in place, finished epochs listed above the live line', async () => {
    const displays: string[][] = [];
    const newDisplay = () => {
      const updates: string[] = [];
      displays.push(updates);
      return { text: (s: string) => void updates.push(s) };
    };
    let now = 0;
    await train(options(new NotebookProgress({ newDisplay, clock: () => (now += 100), intervalMs: 250 })));
    assert.equal(displays.length, 1, 'a single display');
    const updates = displays[0];
    assert.ok(updates.length < 24, `${updates.length} updates for 24 steps`);
    const last = updates[updates.length - 1].split('\n');
    assert.equal(last.length, 4);
    assert.match(last[2], /^epoch 3\/3 loss/);
    assert.match(last[3], /^trained 3 epochs/);
  });

  it("'auto' picks the tslab display when running inside a tslab kernel", () => {
    const g = globalThis as { __tslab__?: unknown };
    const texts: string[] = [];
    g.__tslab__ = {
      require: (id: string) => (id === 'tslab' ? { newDisplay: () => ({ text: (s: string) => texts.push(s) }) } : null),
    };
    try {
      const reporter = createProgress('auto', recorder(true));
      assert.ok(reporter instanceof NotebookProgress);
      reporter.start({ epochs: 1, stepsPerEpoch: 1 });
      assert.deepEqual(texts, ['starting training...']);
    } finally {
      delete g.__tslab__;
    }
    assert.ok(createProgress('auto', recorder(true)) instanceof TerminalProgress);
  });

  it('formats durations and the ETA from the running rate', () => {
    assert.equal(formatDuration(75), '1:15');
    assert.equal(formatDuration(3725), '1:02:05');
    // 10 of 40 steps in 2 s: 5 steps/s, 30 steps left: 6 s.
    const line = stepLine(
      { epochs: 2, stepsPerEpoch: 20 },
      { epoch: 0, stepInEpoch: 10, stepsDone: 10, loss: 0.5 },
      2000,
      10,
    );
    assert.equal(line, 'epoch 1/2 [#####.....] 10/20 loss 0.5000 5.0 steps/s ETA 0:06');
  });
});
