/** What a health check probes. */
export type HealthCheckKind = 'redis' | 'postgres' | 'vector-store' | 'model-provider' | 'custom';

/** One dependency to probe. `check` resolves when the dependency answered, and throws when it did not. */
export interface HealthCheck {
  readonly name: string;
  readonly kind: HealthCheckKind;
  /**
   * A failing critical check makes the overall status `unhealthy`; a failing non-critical one makes it
   * `degraded`. Default true.
   */
  readonly critical?: boolean | undefined;
  /** Above this latency an answering check is reported `slow`, in ms. Default 1,000. */
  readonly slowMs?: number | undefined;
  check(signal: AbortSignal): Promise<void>;
}

/** The outcome of one health check. */
export interface HealthCheckResult {
  readonly name: string;
  readonly kind: HealthCheckKind;
  readonly critical: boolean;
  readonly status: 'up' | 'slow' | 'down';
  /** Round-trip time of the probe, in ms (to the timeout when it timed out). */
  readonly latencyMs: number;
  /** Why it is down: the error's message, cut short. Never includes credentials we hold. */
  readonly error?: string | undefined;
}

/** What `runHealthChecks` returns: every check's outcome and the overall status. */
export interface HealthReport {
  /** `healthy`: all up; `degraded`: something slow or a non-critical check down; `unhealthy`: a critical check down. */
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  /** Epoch ms of the check. */
  readonly checkedAt: number;
  readonly checks: readonly HealthCheckResult[];
}
