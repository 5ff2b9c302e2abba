#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI lives in the compiled library (npm run build makes dist/).
let main;
try {
  ({ main } = require('../dist/cli/main.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/main')) {
    console.error('metriclab: dist/ is missing; run `npm run build` first.');
    process.exit(2);
  }
  throw e;
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  },
);
