import type { CacheEventBase, TelemetryChannel } from '@neptune/core';
import { COUNTER } from '../metrics/metric-names';
import { type TrackerContext, writerFor } from './tracker-context';

/** Cache hits, misses, stale answers and errors per kind, and the tokens hits spared. */
export function trackCache(telemetry: TelemetryChannel, context: TrackerContext): Array<() => void> {
  const count = (prefix: string) => (event: CacheEventBase) => {
    const writer = writerFor(context, event);
    writer.increment(prefix + event.kind);
    if (event.tokensSaved !== undefined) writer.increment(COUNTER.cacheTokensSaved, event.tokensSaved);
  };
  return [
    telemetry.on('cache-hit', count(COUNTER.cacheHit)),
    telemetry.on('cache-miss', count(COUNTER.cacheMiss)),
    telemetry.on('cache-stale', count(COUNTER.cacheStale)),
    telemetry.on('cache-error', count(COUNTER.cacheError)),
  ];
}
