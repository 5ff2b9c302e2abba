/**
 * Checks that need a Debian reference (chromium, python3 with nbformat/nbconvert/ipykernel/sklearn,
 * the full Fashion-MNIST) skip with a printed reason on a machine with only Node and npm, and
 * fail instead when METRICLAB_REQUIRE_REFERENCES=1 (set by .ci/run, which installs them all), so
 * CI never silently skips one.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';

/** True when every reference check must run (CI). */
export const REFERENCES_REQUIRED = process.env.METRICLAB_REQUIRE_REFERENCES === '1';

/**
 * Returns when the reference is available; otherwise skips the running test with the reason
 * printed, or fails it when METRICLAB_REQUIRE_REFERENCES=1.
 *
 * @example
 * it('matches Debian nbconvert', function () {
 *   referenceOrSkip(this, 'Debian jupyter-nbconvert', fs.existsSync('/usr/bin/jupyter-nbconvert'), 'apt-get install jupyter-nbconvert');
 * });
 */
export function referenceOrSkip(ctx: Mocha.Context, name: string, available: boolean, installHint: string): void {
  if (available) return;
  if (REFERENCES_REQUIRED) {
    throw new Error(`${name} is required (METRICLAB_REQUIRE_REFERENCES=1) but missing; install it: ${installHint}`);
  }
  console.log(`      skipped: ${name} is not installed (${installHint}; .ci/run installs it)`);
  ctx.skip();
}

/** Debian's python3, which carries the Debian reference modules (a pyenv python3 on PATH does not). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Whether Debian's python3 exists and imports every module named. */
export function pythonHas(...modules: string[]): boolean {
  if (!fs.existsSync(DEBIAN_PYTHON)) return false;
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('\n')], { stdio: 'ignore' });
  return probe.status === 0;
}
