#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI lives in the compiled build (npm install runs `prepare`, which builds it).
let main;
try {
  ({ main } = require('../dist/cli/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('tcpmem: the build is missing; run `npm install` (or `npm run build`) in the project first\n');
    process.exit(2);
  }
  throw err;
}
main(process.argv).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    process.stderr.write(`tcpmem: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
