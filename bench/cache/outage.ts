import type { Contender } from './contenders';
import { contextValue } from './contenders';
import { startDisposableRedis } from './disposable-redis';

export interface OutageResult {
  readonly requests: number;
  readonly served: number;
  /** Requests that threw. */
  readonly failed: number;
  /** Requests with no answer within the deadline (counted as failed by a user). */
  readonly timedOut: number;
  /** Errors the cache recorded instead of throwing. */
  readonly recordedErrors: number;
  readonly loaderCalls: number;
  /** Latency of the requests made after Redis was killed. */
  readonly outageMedianMs: number;
  readonly outageP95Ms: number;
}

/** A request not answered by then counts as failed: the user has given up. */
export const REQUEST_DEADLINE_MS = 1_000;

/**
 * Sends `requests` requests (`concurrency` at a time, over 50 keys) through a contender whose Redis is
 * a disposable server, and kills that server with SIGKILL once a third of them are done.
 */
export async function runOutage(
  build: (redisUrl: string) => Contender,
  { requests, concurrency }: { requests: number; concurrency: number },
): Promise<OutageResult> {
  const redis = await startDisposableRedis();
  const contender = build(redis.url);
  let started = 0;
  let completed = 0;
  let served = 0;
  let failed = 0;
  let timedOut = 0;
  let loaderCalls = 0;
  let stopped = false;
  const outageLatencies: number[] = [];
  const loader = async () => {
    loaderCalls++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return contextValue;
  };

  async function worker() {
    while (started < requests) {
      const index = started++;
      const during = stopped;
      const begin = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, REQUEST_DEADLINE_MS, 'timeout');
      });
      try {
        const outcome = await Promise.race([contender.getOrSet(`crm-${index % 50}`, loader), deadline]);
        if (outcome === 'timeout') timedOut++;
        else served++;
      } catch {
        failed++;
      } finally {
        clearTimeout(timer);
      }
      if (during) outageLatencies.push(performance.now() - begin);
      completed++;
      if (!stopped && completed >= requests / 3) {
        stopped = true;
        redis.stop();
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  const recordedErrors = contender.recordedErrors();
  await contender.close().catch(() => {});
  const sorted = outageLatencies.sort((left, right) => left - right);
  const percentile = (fraction: number) =>
    sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
  return {
    requests,
    served,
    failed,
    timedOut,
    recordedErrors,
    loaderCalls,
    outageMedianMs: percentile(0.5),
    outageP95Ms: percentile(0.95),
  };
}
