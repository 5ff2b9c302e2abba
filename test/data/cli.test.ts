import { strict as assert } from 'assert';
import { command } from '../../lib/cli/data';
import { SHIPPED_DATA_DIR } from '../../lib/data/locate';

/** Runs the command with console.log captured. */
async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(' '));
  try {
    const code = await command.run(args);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

describe('metriclab data', function () {
  it('--help explains the search order', async function () {
    const { code, out } = await capture(['--help']);
    assert.equal(code, 0);
    assert.match(out, /Usage: metriclab data \[--json\]/);
    assert.match(out, /METRICLAB_DATA_DIR\/<name>, \/usr\/share\/datasets\/<name> \(Debian\)/);
  });

  it('lists both datasets with per-split counts and sources', async function () {
    const { code, out } = await capture([]);
    assert.equal(code, 0, out);
    assert.match(out, /^mnist$/m);
    assert.match(out, /^fashion-mnist$/m);
    // Only the shipped MNIST subset exists on this machine unless METRICLAB_DATA_DIR has the full one.
    if (!process.env.METRICLAB_DATA_DIR) {
      assert.match(out, new RegExp(`train {3}8000 images .* shipped: ${SHIPPED_DATA_DIR}/mnist`));
      assert.match(out, /test {4}2000 images/);
    }
    assert.match(out, /test {3}10000 images/);
    assert.match(out, /per class: 1000 1000 1000 1000 1000 1000 1000 1000 1000 1000/);
  });

  it('--json gives the same facts as data', async function () {
    const { code, out } = await capture(['--json']);
    assert.equal(code, 0);
    const parsed = JSON.parse(out) as {
      datasets: { name: string; splits: { split: string; count: number; perClass: number[] }[] }[];
    };
    const fashionTest = parsed.datasets
      .find((d) => d.name === 'fashion-mnist')!
      .splits.find((s) => s.split === 'test')!;
    assert.equal(fashionTest.count, 10000);
    assert.equal(
      fashionTest.perClass.reduce((a, b) => a + b, 0),
      10000,
    );
  });

  it('rejects unknown options', async function () {
    const err = console.error;
    const errors: string[] = [];
    console.error = (m: unknown) => errors.push(String(m));
    try {
      assert.equal((await capture(['--bogus'])).code, 2);
    } finally {
      console.error = err;
    }
    assert.match(errors[0], /unknown option '--bogus'/);
  });
});
