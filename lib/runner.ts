/**
 * metriclab/runner: the headless notebook runner (Jupyter protocol over ZeroMQ, nbformat I/O,
 * HTML site, JUnit) and the course driver. A second entry point so that importing it does not
 * start tfjs, and importing the ML library (`metriclab`) does not load ZeroMQ, KaTeX or
 * highlight.js.
 *
 * @example
 * import { runNotebook, formatFailure } from 'metriclab/runner';
 * const r = await runNotebook('notebooks/01-intro.ipynb', { outputPath: 'out/01-intro.ipynb', timeout: 600 });
 * if (r.error) console.error(formatFailure(r));
 */
export * from './notebook';
export { runCourse, courseNotebooks, chooseProfile } from './cli/course';
export type { CourseOptions, Profile } from './cli/course';
