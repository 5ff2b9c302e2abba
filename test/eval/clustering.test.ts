import * as assert from 'assert';
import * as fs from 'fs';
import { spawnSync } from 'child_process';
import { ami, nmi, purity, logGamma } from '../../lib/eval/clustering';
import { runClusteringCase } from '../../lib/parity/clustering';
import type { ParityFile } from '../../lib/parity/types';
import { Random } from '../../lib/random';
import { expectClose } from '../helpers/backends';
import { pythonHas, referenceOrSkip } from '../helpers/references';

describe('clustering metrics', () => {
  it('NMI/AMI edge cases', () => {
    assert.strictEqual(nmi([0, 0, 0], [5, 5, 5]), 1);
    assert.strictEqual(ami([0, 0, 0], [5, 5, 5]), 1);
    expectClose([nmi([0, 0, 1, 1], [1, 1, 0, 0]), ami([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1])], [1, 1], 1e-12);
    assert.strictEqual(nmi([0, 1, 0, 1], [0, 0, 0, 0]), 0);
  });
  it('NMI by hand on a 2x2 table', () => {
    // labels 0 0 1 1, clusters 0 1 1 1: MI = 1/4 log2... computed in nats by hand:
    // cells (0,0)=1,(0,1)=1,(1,1)=2; a=[2,2], b=[1,3]
    const mi =
      0.25 * Math.log((4 * 1) / (2 * 1)) + 0.25 * Math.log((4 * 1) / (2 * 3)) + 0.5 * Math.log((4 * 2) / (2 * 3));
    const h = (ps: number[]) => -ps.reduce((s, p) => s + p * Math.log(p), 0);
    expectClose([nmi([0, 0, 1, 1], [0, 1, 1, 1])], [mi / ((h([0.5, 0.5]) + h([0.25, 0.75])) / 2)], 1e-12);
  });
  it('purity by hand', () => {
    assert.strictEqual(purity([0, 0, 1, 1], [0, 0, 0, 1]), 0.75);
  });
  it('logGamma matches factorials', () => {
    expectClose(
      [logGamma(1), logGamma(5), logGamma(0.5), logGamma(20)],
      [0, Math.log(24), Math.log(Math.sqrt(Math.PI)), Math.log(121645100408832000)],
      1e-12,
      1e-14,
    );
  });
  it('passes the fixture nmi_ami cases', () => {
    const file = JSON.parse(fs.readFileSync('test/fixtures/parity.json', 'utf8')) as ParityFile;
    const cases = file.cases.filter((c) => c.kind === 'clustering');
    assert.strictEqual(cases.length, 4);
    for (const c of cases)
      assert.ok(runClusteringCase(c).passed, `${c.name} seed ${c.seed}: ${runClusteringCase(c).detail}`);
  });
  it('agrees with Debian scikit-learn on random labelings', function () {
    const py = '/usr/bin/python3';
    referenceOrSkip(this, 'Debian python3-sklearn', pythonHas('sklearn'), 'apt-get install python3-sklearn');
    const rng = new Random(7);
    const a = Array.from({ length: 500 }, () => rng.int(7));
    const b = Array.from({ length: 500 }, (_, i) => (rng.bernoulli(0.5) ? a[i] : rng.int(9)));
    const script = `import json,sys\nfrom sklearn.metrics import normalized_mutual_info_score as n, adjusted_mutual_info_score as m\na,b=json.load(sys.stdin)\nprint(json.dumps([n(a,b),m(a,b)]))`;
    const out = spawnSync(py, ['-c', script], { input: JSON.stringify([a, b]), encoding: 'utf8' });
    const [n, m] = JSON.parse(out.stdout) as number[];
    expectClose([nmi(a, b), ami(a, b)], [n, m], 1e-10, 0);
  });
});
