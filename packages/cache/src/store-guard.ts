import { NeptuneError, StoreError, TimeoutError } from '@neptune/core';
import type { CircuitBreaker } from './circuit-breaker';

export type Guarded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

export interface StoreGuardOptions {
  readonly breaker: CircuitBreaker;
  /** Longest wait for one store call, in milliseconds; 0 waits as long as the store takes. */
  readonly timeoutMs: number;
  /** Records a failed store call (telemetry, stats). Not called for calls the open circuit skipped. */
  readonly onError: (operation: string, kind: string, error: unknown, startedAt: number) => void;
}

const SKIPPED: Guarded<never> = Object.freeze({
  ok: false as const,
  error: new StoreError({ message: 'The cache store is skipped while its circuit breaker is open.' }),
});
/** How often overdue calls are looked for; a timeout fires up to this much late. */
const SWEEP_EVERY_MS = 10;

function isCallerMistake(error: unknown): boolean {
  return (
    NeptuneError.isInstance(error) && (error.code === 'invalid-argument' || error.code === 'invalid-scope')
  );
}

/**
 * Every store call of the cache goes through here: refused while the circuit is open, cut off after
 * `timeoutMs`, and never thrown at the request (the result says whether it worked). Only a caller
 * mistake (bad input, which the cache checks first) is rethrown, because hiding it would hide a bug.
 *
 * Timeouts use one sweeping timer for all calls rather than a timer (or a `Promise.race`) per call,
 * which would cost more than a cache hit's own work.
 */
export class StoreGuard {
  readonly #options: StoreGuardOptions;
  /** Calls in flight, oldest first (a Set keeps insertion order). */
  readonly #pending = new Set<PendingCall>();
  #sweeping = false;

  constructor(options: StoreGuardOptions) {
    this.#options = options;
  }

  #sweep = (): void => {
    const overdueBefore = performance.now() - this.#options.timeoutMs;
    for (const call of this.#pending) {
      if (call.startedAt > overdueBefore) break;
      this.#pending.delete(call);
      call.fail(
        new TimeoutError({
          message: `The cache store did not answer ${call.operation} within ${this.#options.timeoutMs} ms (storeTimeoutMs).`,
          details: { operation: call.operation, timeoutMs: this.#options.timeoutMs },
        }),
      );
    }
    this.#sweeping = this.#pending.size > 0;
    if (this.#sweeping) this.#arm();
  };

  #arm(): void {
    const timer = setTimeout(this.#sweep, SWEEP_EVERY_MS);
    // Never keep a process alive just to time out calls.
    (timer as { unref?: () => void }).unref?.();
  }

  /**
   * Runs one store call for a cache kind (`kind` labels the error, if any). Written without `async`,
   * with one promise and no per-call named closures, because it sits on every cache hit.
   */
  run<T>(operation: string, kind: string, call: () => Promise<T>): Promise<Guarded<T>> {
    const { breaker, timeoutMs } = this.#options;
    if (!breaker.allow()) return Promise.resolve(SKIPPED);
    const startedAt = performance.now();
    return new Promise<Guarded<T>>((resolve, reject) => {
      const tracked = new PendingCall(this, operation, kind, startedAt, resolve, reject);
      let pending: Promise<T>;
      try {
        pending = call();
      } catch (error) {
        tracked.fail(error);
        return;
      }
      if (timeoutMs > 0) {
        this.#pending.add(tracked);
        if (!this.#sweeping) {
          this.#sweeping = true;
          this.#arm();
        }
      }
      pending.then(
        (value) => {
          if (timeoutMs > 0 && !this.#pending.delete(tracked)) return;
          breaker.success();
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          if (timeoutMs <= 0 || this.#pending.delete(tracked)) tracked.fail(error);
        },
      );
    });
  }

  /** Records a failed call; used by `PendingCall`. */
  failed(operation: string, kind: string, error: unknown, startedAt: number): Guarded<never> {
    this.#options.breaker.failure();
    this.#options.onError(operation, kind, error, startedAt);
    return { ok: false, error };
  }
}

/** One store call in flight: what the sweeper needs to time it out, and how to settle it as failed. */
class PendingCall {
  constructor(
    readonly guard: StoreGuard,
    readonly operation: string,
    readonly kind: string,
    readonly startedAt: number,
    readonly resolve: (result: Guarded<never>) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  fail(error: unknown): void {
    if (isCallerMistake(error)) this.reject(error);
    else this.resolve(this.guard.failed(this.operation, this.kind, error, this.startedAt));
  }
}
