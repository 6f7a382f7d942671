import { describe, expect, it } from 'vitest';
import { AbortError, TimeoutError } from '../errors';
import { boundedQuery } from './bounded-query';

const never = () => new Promise<never>(() => {});

// Issue 15 item 3: a Postgres call is bounded whatever the connection does (the real-wire tests sit
// with the stores, behind a TCP proxy that stops answering).
describe('boundedQuery', () => {
  it('fails a call that never answers with a retryable TimeoutError naming the call', async () => {
    const error = await boundedQuery(never, { what: 'store.read', timeoutMs: 20 }).catch((caught) => caught);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).isRetryable).toBe(true);
    expect((error as Error).message).toMatch(/store\.read got no answer from Postgres within 20 ms/);
  });

  it("ends the call when the caller's signal fires, and refuses to start under an aborted one", async () => {
    const controller = new AbortController();
    const pending = boundedQuery(never, { what: 'q', timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    const error = await pending.catch((caught) => caught);
    expect(AbortError.isInstance(error)).toBe(true);
    expect((error as AbortError).isRetryable).toBe(false);
    let started = false;
    const refused = await boundedQuery(
      async () => {
        started = true;
      },
      { what: 'q', timeoutMs: 1_000, signal: controller.signal },
    ).catch((caught) => caught);
    expect(AbortError.isInstance(refused)).toBe(true);
    expect(started).toBe(false);
  });

  it('passes answers and failures through untouched', async () => {
    expect(await boundedQuery(async () => 42, { what: 'q', timeoutMs: 1_000 })).toBe(42);
    const failure = new Error('boom');
    await expect(boundedQuery(() => Promise.reject(failure), { what: 'q', timeoutMs: 1_000 })).rejects.toBe(
      failure,
    );
    const thrown = new Error('sync');
    await expect(
      boundedQuery(
        () => {
          throw thrown;
        },
        { what: 'q', timeoutMs: 1_000 },
      ),
    ).rejects.toBe(thrown);
  });
});
