import { z } from 'zod';
import type { TelemetryChannel } from './telemetry-channel';

/**
 * The `telemetry` option of a store or component. Only `emit` is checked, so a channel from another copy
 * of `@neptune/core` or a test double passes too.
 */
export const telemetryChannelSchema = z.custom<TelemetryChannel>(
  (value) => typeof (value as TelemetryChannel | undefined)?.emit === 'function',
  'must be a TelemetryChannel',
);
