/**
 * The course, end to end, the way `npm start` runs it: every notebooks/NN-*.ipynb executed
 * headless with the quick profile through `runCourse` (the code behind `metriclab course`),
 * executed notebooks in out/notebooks, the static site in out/site. Then one test per notebook
 * (any cell error fails it, and each notebook ends with cells that check its own claims, so a
 * library regression turns it red here) and a check of the site in headless Chromium.
 *
 * The notebooks import the compiled library ('metriclab', linked at install), so this needs `npm run build` first
 * (`npm test` does it). Notebooks run two at a time: each kernel uses one core.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { courseNotebooks, runCourse } from '../lib/cli/course';
import { formatFailure, type RunResult } from '../lib/notebook';
import { chromiumInstalled, launchChromium } from './helpers/chromium';
import { referenceOrSkip } from './helpers/references';

const ROOT = path.resolve(__dirname, '..');
const NOTEBOOK_DIR = path.join(ROOT, 'notebooks');
const OUT_DIR = path.join(ROOT, 'out');
/** Per cell: the quick profile's longest cells take about a minute on a busy 2-core machine. */
const CELL_TIMEOUT_S = 300;

describe('the course (quick profile, headless, as npm start runs it)', function () {
  const notebooks = courseNotebooks(NOTEBOOK_DIR).map((p) => path.basename(p));
  const results = new Map<string, RunResult>();
  let siteIndex = '';

  before(async function () {
    this.timeout(30 * 60_000);
    // Fail with the fix rather than with a cryptic "Cannot find module 'metriclab'" from a cell.
    if (!fs.existsSync(path.join(ROOT, 'node_modules', 'metriclab', 'package.json'))) {
      throw new Error(
        "node_modules/metriclab is missing: the notebooks import 'metriclab'; run `npm install` (its prepare script links it)",
      );
    }
    if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
      throw new Error('dist/ is missing: the notebooks import the compiled library; run `npm run build` first');
    }
    const course = await runCourse({
      profile: 'quick',
      jobs: Math.min(2, os.cpus().length),
      timeout: CELL_TIMEOUT_S,
      outDir: OUT_DIR,
      notebooksDir: NOTEBOOK_DIR,
      log: (line) => console.log(`      ${line.split('\n').join('\n      ')}`),
    });
    for (const r of course.results) results.set(path.basename(r.notebookPath), r);
    siteIndex = course.index;
  });

  it('finds the fifteen course notebooks', function () {
    assert.deepEqual(
      notebooks.map((n) => n.slice(0, 2)),
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15'],
      `notebooks found in ${NOTEBOOK_DIR}: ${notebooks.join(', ')}`,
    );
  });

  for (const name of notebooks) {
    it(`runs ${name} without errors and its claim checks hold`, function () {
      const result = results.get(name);
      assert.ok(result, `${name} was not run`);
      // formatFailure names the failing cell, its first lines and the error (the claim that broke).
      assert.equal(result.error, null, formatFailure(result));
      assert.ok(result.cellsRun > 0, `${name}: no code cell ran`);
      const written = path.join(OUT_DIR, 'notebooks', name);
      assert.ok(fs.existsSync(written), `executed copy ${written}`);
      const images = JSON.stringify(JSON.parse(fs.readFileSync(written, 'utf8'))).match(/"image\/png"/g) ?? [];
      assert.ok(images.length >= 2, `${name}: expected plots (image/png outputs), found ${images.length}`);
    });
  }

  it('writes a static site whose pages load and whose plots render in headless Chromium', async function () {
    this.timeout(120_000);
    referenceOrSkip(this, 'Debian chromium', chromiumInstalled(), 'apt-get install chromium');
    assert.ok(fs.existsSync(siteIndex), `site index ${siteIndex}`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      assert.ok((await page.goto(pathToFileURL(siteIndex).href))?.ok(), 'index.html loads');
      await page.screenshot({ path: path.join(OUT_DIR, 'course-site.png'), fullPage: true });
      const links = await page.$$eval('a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      assert.equal(links.length, notebooks.length, `one link per notebook: ${links.join(', ')}`);
      for (const href of links) {
        assert.ok((await page.goto(href))?.ok(), `${href} loads`);
        const sizes = await page.$$eval('img', (imgs) =>
          imgs.map((i) => (i as HTMLImageElement).naturalWidth * (i as HTMLImageElement).naturalHeight),
        );
        assert.ok(sizes.length >= 2, `${href}: expected plots, found ${sizes.length} images`);
        assert.ok(
          sizes.every((s) => s > 0),
          `${href}: every image renders (pixel areas ${sizes.join(', ')})`,
        );
      }
    } finally {
      await browser.close();
    }
  });
});
