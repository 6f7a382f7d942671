import type { NeptuneError } from '../errors';
import { checkArgument } from '../validation';
import type { TelemetryScope } from './events';
import type { TelemetryChannel } from './telemetry-channel';

/**
 * Options of `instrumentCall`: the store call to time, how to name and report it, and how to map its errors.
 */
export interface InstrumentCallOptions<T> {
  /** The label on the `db-query` event, `store.operation` (e.g. `pgvectorStore.query`); never parameters. */
  readonly name: string;
  readonly scope: TelemetryScope | undefined;
  readonly telemetry: TelemetryChannel;
  /** Calls at least this long are reported with `slow: true`. */
  readonly slowQueryMs: number;
  /** The package that owns the store, put on the `error` event (`rag`, `memory`, ...). */
  readonly source: string;
  /** The call to the store. */
  readonly run: () => Promise<T>;
  /** How many rows the result holds, for the event. */
  readonly rows?: ((result: T) => number) | undefined;
  /** Turns what the store threw into a Neptune error someone can act on; that error is what the caller gets. */
  readonly mapError: (error: unknown) => NeptuneError;
}

/**
 * Runs one call to a database or vector service the way every Neptune store reports it: a `db-query`
 * event with its duration, rows and `slow` flag, or, when it fails, the error mapped to a Neptune error,
 * reported as an `error` event and thrown. Payloads are built only when someone listens.
 */
export async function instrumentCall<T>(options: InstrumentCallOptions<T>): Promise<T> {
  checkArgument(
    typeof options === 'object' &&
      options !== null &&
      typeof options.run === 'function' &&
      typeof options.mapError === 'function' &&
      typeof options.telemetry?.emit === 'function',
    'instrumentCall(options)',
    '{ telemetry, name, run: () => Promise, mapError: (error) => NeptuneError, slowQueryMs }',
    options,
  );
  const { telemetry } = options;
  const startedAt = Date.now();
  try {
    const result = await options.run();
    if (telemetry.active) {
      const durationMs = Date.now() - startedAt;
      telemetry.emit({
        type: 'db-query',
        timestamp: startedAt,
        scope: options.scope,
        name: options.name,
        durationMs,
        rows: options.rows?.(result),
        slow: durationMs >= options.slowQueryMs,
      });
    }
    return result;
  } catch (error) {
    const failure = options.mapError(error);
    if (telemetry.active) {
      telemetry.emit({
        type: 'error',
        timestamp: Date.now(),
        scope: options.scope,
        source: options.source,
        code: failure.code,
        message: failure.message,
        retryable: failure.isRetryable,
      });
    }
    throw failure;
  }
}
