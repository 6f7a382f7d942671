import type { TelemetryChannel } from '@neptune/core';

/**
 * Something that listens to Neptune's telemetry: the metrics recorder, the OpenTelemetry and Sentry
 * exporters. `startObservability` subscribes several to one channel and flushes them together.
 */
export interface TelemetrySink {
  readonly name: string;
  /** Starts listening; returns the function that stops. */
  subscribe(telemetry: TelemetryChannel): () => void;
  /** Writes out whatever is buffered; resolves once it is delivered. */
  flush(): Promise<void>;
}
