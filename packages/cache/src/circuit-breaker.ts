/** The store's circuit breaker: `closed` (calls go through), `open` (skipped), `half-open` (one probe). */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through, in milliseconds. */
  readonly openMs: number;
  readonly now: () => number;
  readonly onStateChange?: ((state: CircuitState) => void) | undefined;
  /** Called when a call succeeds after one or more failures: the moment to retry deferred work. */
  readonly onRecover?: (() => void) | undefined;
}

/**
 * Stops calling a store that keeps failing. Closed: every call goes through, and `failureThreshold`
 * failures in a row open it. Open: calls are refused without touching the store, for `openMs`.
 * Half-open: one probe goes through; its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #options: CircuitBreakerOptions;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** True when a call may go to the store now. In half-open state, true once: for the probe. */
  allow(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.#options.now() - this.#openedAt < this.#options.openMs) return false;
      this.#set('half-open');
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  success(): void {
    const recovering = this.#failures > 0 || this.#state !== 'closed';
    this.#failures = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#set('closed');
    if (recovering) this.#options.onRecover?.();
  }

  failure(): void {
    this.#probing = false;
    this.#failures++;
    if (
      this.#state === 'half-open' ||
      (this.#state === 'closed' && this.#failures >= this.#options.failureThreshold)
    ) {
      this.#openedAt = this.#options.now();
      this.#set('open');
    }
  }

  #set(state: CircuitState): void {
    this.#state = state;
    this.#options.onStateChange?.(state);
  }
}
