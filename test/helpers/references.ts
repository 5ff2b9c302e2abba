/**
 * Checks that need a Debian reference (python3-nbformat, jupyter-nbconvert, ipykernel, ...) skip
 * with a printed reason where it is absent, unless METRICLAB_REQUIRE_REFERENCES=1 (set by
 * .ci/run) makes them mandatory: then a missing reference fails the test.
 */
export const REFERENCES_REQUIRED = process.env.METRICLAB_REQUIRE_REFERENCES === '1';

/**
 * Skips the running test (printing `reason`) when `available` is false, or fails it when
 * references are required.
 *
 * @example
 * it('matches nbconvert', function () {
 *   requireReference(this, 'jupyter-nbconvert', fs.existsSync(NBCONVERT), 'Debian jupyter-nbconvert is not installed');
 * });
 */
export function requireReference(test: Mocha.Context, name: string, available: boolean, reason: string): void {
  if (available) return;
  if (REFERENCES_REQUIRED) throw new Error(`${name} is required (METRICLAB_REQUIRE_REFERENCES=1), but ${reason}`);
  console.log(`    skipped: ${reason}`);
  test.skip();
}
