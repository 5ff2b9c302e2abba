import { strict as assert } from 'assert';
import { command } from '../../lib/cli/data';
import { SHIPPED_DATA_DIR } from '../../lib/data/locate';

/** Runs the command with its output collected. */
async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [out, err]: string[][] = [[], []];
  const code = await command.run(args, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, out: out.join('').replace(/\n$/, ''), err: err.join('') };
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

  it('rejects unknown options with one line naming the option, exit 2', async function () {
    const r = await capture(['--bogus']);
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      "Error in metriclab data: the option must be one that --help lists, but got '--bogus' (see metriclab data --help)\n",
    );
    assert.equal(r.out, '');
  });
});
