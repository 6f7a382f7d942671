export type {
  SentryAttributeValue,
  SentryCaptureContext,
  SentryLike,
  SentrySpanLike,
  SentryStartSpanOptions,
} from './sentry-like';
export { NeptuneReportedError, type SentrySinkOptions, sentrySink } from './sentry-sink';
