/**
 * The HTML site in a real browser (Debian's chromium through playwright-core): every page
 * loads and every image renders with a non-zero natural size. The screenshot of the index is
 * kept in out/site-screenshot.png as a CI artifact.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { runCli } from '../../lib/cli/run';
import { FIXTURES, ROOT, captureIo } from './helpers';
import { chromiumInstalled, launchChromium } from '../helpers/chromium';
import { referenceOrSkip } from '../helpers/references';

describe('notebook runner: HTML site in headless Chromium', function () {
  this.timeout(120_000);

  it('index and notebook pages load and their PNG and SVG images render', async function () {
    referenceOrSkip(this, 'Debian chromium', chromiumInstalled(), 'apt-get install chromium');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'metriclab-site-'));
    const site = path.join(tmp, 'site');
    const io = captureIo();
    const code = await runCli([path.join(FIXTURES, 'png.ipynb'), '--out', tmp, '--html', site], io);
    assert.equal(code, 0, io.stderr());
    assert.match(io.stdout(), /HTML: .*site[\\/]index\.html/);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const index = await page.goto(pathToFileURL(path.join(site, 'index.html')).href);
      assert.ok(index?.ok(), 'index.html loads');
      const links = await page.$$eval('a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      assert.equal(links.length, 1, 'one notebook listed');
      assert.equal(await page.textContent('a'), 'A picture', 'listed by its first heading');
      fs.mkdirSync(path.join(ROOT, 'out'), { recursive: true });
      await page.screenshot({ path: path.join(ROOT, 'out', 'site-screenshot.png'), fullPage: true });
      for (const href of links) {
        const res = await page.goto(href);
        assert.ok(res?.ok(), `${href} loads`);
        const sizes = await page.$$eval('img', (imgs) =>
          imgs.map((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]),
        );
        // The fixture's 4x4 PNG and 20x10 SVG, decoded by the browser.
        assert.deepEqual(sizes, [
          [4, 4],
          [20, 10],
        ]);
        assert.ok((await page.$$('.hljs-keyword')).length > 0, 'code is highlighted');
        assert.equal(await page.textContent('h1'), 'A picture', 'markdown is rendered');
      }
    } finally {
      await browser.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
