import { checkArgument, describeValue } from '@neptune/core';
import type { HealthCheck, HealthCheckResult, HealthReport } from './health-check';

/** Options of `runHealthChecks`. */
export interface RunHealthChecksOptions {
  /** Each check's time limit, in ms. Default 3,000. */
  readonly timeoutMs?: number | undefined;
  /** A monotonic clock in ms, for latency. Default `performance.now`. */
  readonly clock?: (() => number) | undefined;
  /** Wall clock for `checkedAt`. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const DEFAULT_SLOW_MS = 1_000;

async function runOne(
  check: HealthCheck,
  timeoutMs: number,
  clock: () => number,
): Promise<HealthCheckResult> {
  const controller = new AbortController();
  const critical = check.critical ?? true;
  const base = { name: check.name, kind: check.kind, critical };
  const startedAt = clock();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check.check(controller.signal), timeout]);
    const latencyMs = clock() - startedAt;
    return { ...base, status: latencyMs > (check.slowMs ?? DEFAULT_SLOW_MS) ? 'slow' : 'up', latencyMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : describeValue(error);
    return { ...base, status: 'down', latencyMs: clock() - startedAt, error: message.slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check in parallel, each with its own timeout, and sums them up in one status. */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  options: RunHealthChecksOptions = {},
): Promise<HealthReport> {
  checkArgument(
    Array.isArray(checks) && checks.every((check) => typeof check?.check === 'function'),
    'runHealthChecks: checks',
    'an array of HealthCheck ({ name, kind, check(signal) })',
    checks,
  );
  checkArgument(
    typeof options === 'object' && options !== null,
    'runHealthChecks: options',
    'an options object',
    options,
  );
  const timeoutMs = options.timeoutMs ?? 3_000;
  const clock = options.clock ?? (() => performance.now());
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs, clock)));
  const criticalDown = results.some((result) => result.status === 'down' && result.critical);
  const anyNotUp = results.some((result) => result.status !== 'up');
  return {
    status: criticalDown ? 'unhealthy' : anyNotUp ? 'degraded' : 'healthy',
    checkedAt: (options.now ?? Date.now)(),
    checks: results,
  };
}
