/**
 * JUnit XML for CI: one testcase per notebook; a cell error is a <failure>, bad input or kernel
 * trouble an <error>, each with the failure report as text.
 */
import * as fs from 'fs';
import * as path from 'path';
import { makeDirs } from './nbformat';
import { formatFailure } from './report';
import type { RunResult } from './run-notebook';

function xmlEscape(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 forbids most control characters, which tracebacks may contain.

      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/**
 * The JUnit document for a set of runs.
 *
 * @example
 * fs.writeFileSync('junit.xml', junitXml(results));
 */
export function junitXml(results: RunResult[], suiteName = 'metriclab run'): string {
  const failures = results.filter((r) => r.exitCode === 1).length;
  const errors = results.filter((r) => r.exitCode > 1).length;
  const time = results.reduce((s, r) => s + r.seconds, 0).toFixed(3);
  const cases = results.map((r) => {
    const name = xmlEscape(r.notebookPath);
    const head = `  <testcase classname="notebooks" name="${name}" time="${r.seconds.toFixed(3)}"`;
    if (!r.error) return `${head}/>`;
    const tag = r.exitCode === 1 ? 'failure' : 'error';
    const report = xmlEscape(formatFailure(r));
    return `${head}>\n    <${tag} type="${r.error.name}" message="${xmlEscape(r.error.message)}">${report}</${tag}>\n  </testcase>`;
  });
  const attrs = `name="${xmlEscape(suiteName)}" tests="${results.length}" failures="${failures}" errors="${errors}" time="${time}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs}>`,
    `<testsuite ${attrs}>`,
    ...cases,
    '</testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Writes the JUnit file (creating its folder); a shard names itself in `suiteName`. */
export function writeJunit(file: string, results: RunResult[], suiteName?: string): void {
  makeDirs(path.dirname(path.resolve(file)));
  fs.writeFileSync(file, junitXml(results, suiteName));
}
