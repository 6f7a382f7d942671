export * from './gen-ai-conventions';
export {
  INSTRUMENTATION_SCOPE,
  type OpenTelemetrySinkOptions,
  openTelemetrySink,
} from './open-telemetry-sink';
