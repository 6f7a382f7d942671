import { defaultTelemetry, type ScopeKeys, type TelemetryChannel } from '@neptune/core';
import { toUpstashError } from './upstash-error';

/** Runs one call to Upstash Vector: a `db-query` event (name, duration, rows; never the payload), errors mapped. */
export type UpstashCall = <T>(
  operation: string,
  keys: ScopeKeys | undefined,
  call: () => Promise<T>,
  rows?: (result: T) => number,
) => Promise<T>;

export function upstashCalls(telemetry: TelemetryChannel | undefined, slowQueryMs: number): UpstashCall {
  const channel = telemetry ?? defaultTelemetry();
  return async (operation, keys, call, rows) => {
    const startedAt = Date.now();
    const name = `upstashVectorStore.${operation}`;
    try {
      const result = await call();
      if (channel.active) {
        const durationMs = Date.now() - startedAt;
        channel.emit({
          type: 'db-query',
          timestamp: startedAt,
          scope: keys?.scope,
          name,
          durationMs,
          rows: rows?.(result),
          slow: durationMs >= slowQueryMs,
        });
      }
      return result;
    } catch (error) {
      const failure = toUpstashError(error, name);
      if (channel.active) {
        channel.emit({
          type: 'error',
          timestamp: Date.now(),
          scope: keys?.scope,
          source: 'rag',
          code: failure.code,
          message: failure.message,
          retryable: failure.isRetryable,
        });
      }
      throw failure;
    }
  };
}
