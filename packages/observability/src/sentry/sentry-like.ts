/**
 * The few functions of the Sentry SDK the adapter calls, typed structurally so that `@sentry/node`,
 * `@sentry/nextjs` or `@sentry/bun` (v8 and later) can be passed in as `import * as Sentry` without
 * Neptune depending on any of them.
 */
export type SentryAttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** The part of a Sentry span that the sink uses. */
export interface SentrySpanLike {
  setAttribute(key: string, value: SentryAttributeValue | undefined): unknown;
  /** Sentry's codes: 1 ok, 2 error. */
  setStatus(status: { code: number; message?: string }): unknown;
  /** End time in seconds since the epoch (Sentry also accepts ms and Dates). */
  end(endTimestamp?: number): void;
}

/** The options of Sentry's `startInactiveSpan` that the sink sets. */
export interface SentryStartSpanOptions {
  name: string;
  op?: string;
  /** Seconds since the epoch. */
  startTime?: number;
  attributes?: Record<string, SentryAttributeValue | undefined>;
  /** The parent; omitted: the span active in the app (its request transaction). */
  parentSpan?: SentrySpanLike | null;
}

/** The part of Sentry's capture context that the sink sets. */
export interface SentryCaptureContext {
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  fingerprint?: string[];
  level?: 'fatal' | 'error' | 'warning' | 'log' | 'info' | 'debug';
}

/**
 * The part of the Sentry SDK that the sink uses, so that the app passes its own SDK (`import * as Sentry`).
 */
export interface SentryLike {
  captureException(exception: unknown, hint?: SentryCaptureContext): string;
  startInactiveSpan(options: SentryStartSpanOptions): SentrySpanLike;
  /** Resolves true when everything was sent within the timeout (ms). */
  flush(timeout?: number): PromiseLike<boolean>;
}
