import { defaultTelemetry, instrumentCall, type ScopeKeys, type TelemetryChannel } from '@neptune/core';
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
  return (operation, keys, call, rows) => {
    const name = `upstashVectorStore.${operation}`;
    return instrumentCall({
      name,
      scope: keys?.scope,
      telemetry: channel,
      slowQueryMs,
      source: 'rag',
      run: call,
      rows,
      mapError: (error) => toUpstashError(error, name),
    });
  };
}
