import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ready } from '../../lib/backend';
import { runParityFile } from '../../lib/parity';
import { command } from '../../lib/cli/parity';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'parity.json');
const XBM_FIXTURE = path.join(__dirname, '..', 'fixtures', 'xbm-parity.json');

/** Runs the CLI command, capturing what it prints. */
async function runCli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  // One entry per line, as the command writes them.
  const lines = (into: string[]) => (t: string) => void into.push(...t.replace(/\n$/, '').split('\n'));
  const code = await command.run(args, { out: lines(out), err: lines(err) });
  return { code, out, err };
}

describe('parity with pytorch-metric-learning 2.8.1 (test/fixtures/parity.json)', () => {
  before(async () => {
    await ready();
  });

  it('every loss and miner case passes (loss error <= 1e-4, miner sets equal)', () => {
    const report = runParityFile(FIXTURE);
    const mine = report.results.filter((r) => r.kind === 'loss' || r.kind === 'miner');
    assert.equal(mine.length, 136);
    const failed = mine.filter((r) => !r.passed).map((r) => `${r.kind}/${r.name} seed ${r.seed}: ${r.detail}`);
    assert.deepEqual(failed, []);
    assert.ok(mine.filter((r) => r.kind === 'loss').every((r) => r.error <= 1e-4));
  });

  describe('metriclab parity FILE', () => {
    let dir = '';
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("prints one line per case and ends with 'N passed, N failed'; exit 1 on a failure", async () => {
      const cases = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).cases;
      const good = cases.find((c: { name: string }) => c.name === 'contrastive');
      const bad = { ...good, expected: { loss: good.expected.loss + 0.01 } };
      const unknown = { ...good, kind: 'teleport', name: 'warp' };
      const file = path.join(dir, 'tiny.json');
      fs.writeFileSync(file, JSON.stringify({ cases: [good, bad, unknown] }));
      const { code, out } = await runCli([file]);
      assert.equal(code, 1);
      assert.equal(out.length, 4);
      assert.match(out[0], /^loss\/contrastive\s+seed 100\s+error \S+\s+PASS$/);
      assert.match(out[1], /^loss\/contrastive\s+seed 100\s+error 9\.\d+e-3\s+FAIL\s+loss [\d.]+, expected [\d.]+$/);
      assert.match(out[2], /^teleport\/warp\s+seed 100\s+error n\/a\s+FAIL\s+unknown case kind 'teleport'$/);
      assert.equal(out[3], '1 passed, 2 failed');
    });

    it('exit 0 when all pass; exit 2 on an unreadable file', async () => {
      const cases = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).cases.slice(0, 2);
      const file = path.join(dir, 'ok.json');
      fs.writeFileSync(file, JSON.stringify({ cases }));
      const ok = await runCli([file]);
      assert.equal(ok.code, 0);
      assert.equal(ok.out[ok.out.length - 1], '2 passed, 0 failed');
      const missing = await runCli([path.join(dir, 'nope.json')]);
      assert.equal(missing.code, 2);
      assert.match(missing.err.join('\n'), /cannot use '.*nope\.json'/);
      fs.writeFileSync(path.join(dir, 'junk.json'), '{"not": "a fixture"}');
      assert.equal((await runCli([path.join(dir, 'junk.json')])).code, 2);
    });
  });

  describe('cross-batch memory (test/fixtures/xbm-parity.json, format metriclab-parity-xbm/1)', () => {
    let dir = '';
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-xbm-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('every case passes: the loss after each batch within 1e-4', async () => {
      const report = runParityFile(XBM_FIXTURE);
      assert.equal(report.results.length, 6);
      assert.deepEqual(
        report.results.filter((r) => !r.passed).map((r) => `${r.name} seed ${r.seed}: ${r.detail}`),
        [],
      );
      const { code, out } = await runCli([XBM_FIXTURE]);
      assert.equal(code, 0);
      assert.match(out[0], /^xbm\/xbm_contrastive_pos0_neg1\s+seed 200\s+error \S+\s+PASS$/);
      assert.equal(out[out.length - 1], '6 passed, 0 failed');
    });

    it('a wrong expected loss fails naming the batch; an unknown format is refused', async () => {
      const fixture = JSON.parse(fs.readFileSync(XBM_FIXTURE, 'utf8'));
      const good = fixture.cases[1];
      const losses = [...good.expected.losses];
      losses[2] += 0.01;
      const file = path.join(dir, 'bad.json');
      fs.writeFileSync(file, JSON.stringify({ ...fixture, cases: [{ ...good, expected: { losses } }] }));
      const { code, out } = await runCli([file]);
      assert.equal(code, 1);
      assert.match(out[0], /FAIL\s+batch 2: loss [\d.]+, expected [\d.]+$/);
      assert.equal(out[1], '0 passed, 1 failed');
      fs.writeFileSync(file, JSON.stringify({ ...fixture, format: 'metriclab-parity-xbm/9' }));
      const unknown = await runCli([file]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err.join('\n'), /unknown format 'metriclab-parity-xbm\/9'/);
    });
  });
});
