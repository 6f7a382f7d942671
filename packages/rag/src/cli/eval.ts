#!/usr/bin/env node
import { runEvalCli } from './run-eval-cli';

// No top-level await: the bin is also built as CommonJS.
runEvalCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
