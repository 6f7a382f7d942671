import { NeptuneError } from '@neptune/core';
import { expect } from 'vitest';

/** Runs `call`, expects a `NeptuneError` with `code`, and returns it for further checks. */
export async function expectRejection(call: () => Promise<unknown>, code: string): Promise<NeptuneError> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected the call to be rejected').toBeDefined();
  expect(NeptuneError.isInstance(caught), `expected a NeptuneError, got ${String(caught)}`).toBe(true);
  expect((caught as NeptuneError).code).toBe(code);
  return caught as NeptuneError;
}
