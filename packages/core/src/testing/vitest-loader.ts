/**
 * Vitest, if it can be loaded, else why not. Loaded when `@neptune/core/testing` loads (a top-level
 * await, so the conformance suites can call `describe` synchronously from a test file), and never
 * required: the servers, mocks and data sets of the entry work in a process without vitest.
 */
export const loadedVitest: typeof import('vitest') | Error = await import('vitest').catch((error: unknown) =>
  error instanceof Error ? error : new Error(String(error)),
);
