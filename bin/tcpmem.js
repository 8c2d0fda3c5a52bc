#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI lives in the compiled build (npm install runs `prepare`, which builds it).
let main;
try {
  ({ main } = require('../dist/cli/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('tcpmem: the build is missing; run `npm install` (or `npm run build`) in the project first\n');
    process.exit(2);
  }
  throw err;
}
// Exit only after stdout and stderr have drained: a bare process.exit() cuts piped output at 64 KiB.
function exit_after_flush(code) {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
main(process.argv).then(
  (code) => exit_after_flush(code ?? 0),
  (err) => {
    process.stderr.write(`tcpmem: ${err && err.message ? err.message : String(err)}\n`);
    exit_after_flush(1);
  },
);
