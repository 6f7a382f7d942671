#!/usr/bin/env node
import { runCheckCli } from './run-check-cli';

// No top-level await: the bin is also built as CommonJS.
runCheckCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
