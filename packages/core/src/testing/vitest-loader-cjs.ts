/**
 * The CommonJS build's stand-in for vitest-loader.ts (tsup.config.ts swaps it in): CommonJS has no
 * top-level await, and vitest cannot be loaded with require() anyway, so the conformance suites say so
 * when called, while the rest of the entry works.
 */
export const loadedVitest: typeof import('vitest') | Error = new Error(
  'vitest cannot be loaded with require() (it is an ES module only); import @neptune/core/testing from an ES module test file',
);
