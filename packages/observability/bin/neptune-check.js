#!/usr/bin/env node
// The `neptune-check` command. A committed launcher rather than a bin pointing into dist/, so that
// installing the workspace before any build creates the command (and prints no warning); it runs the
// built CLI.
import '../dist/cli/check.js';
