import {
  AbortError,
  NeptuneError,
  type Scope,
  StructuredOutputError,
  type TelemetryChannel,
  throwIfAborted,
} from '@neptune/core';

const MAX_MESSAGE_LENGTH = 200;

/** A failure message safe for telemetry: never model output, which may echo user content. */
function describeFailure(error: unknown): { code: string; message: string; retryable: boolean } {
  if (StructuredOutputError.isInstance(error)) {
    // Its message quotes the parse problem, which can include a fragment of the model's answer.
    return {
      code: error.code,
      message: "the model's answer did not match the schema after one repair attempt",
      retryable: false,
    };
  }
  if (NeptuneError.isInstance(error)) {
    return {
      code: error.code,
      message: error.message.slice(0, MAX_MESSAGE_LENGTH),
      retryable: error.isRetryable,
    };
  }
  const name = error instanceof Error ? error.name : typeof error;
  return { code: 'unknown', message: `unexpected ${name}`, retryable: false };
}

/**
 * What an optional strategy (expansion, reranking) does when it fails: retrieval must go on without it,
 * so the failure becomes an `error` telemetry event rather than an exception. A caller that aborted
 * asked us to stop, so that one is rethrown.
 */
export function reportStrategyFailure(options: {
  readonly error: unknown;
  readonly strategy: string;
  /** What retrieval does instead, for the event message: "retrieval continues with the original query". */
  readonly fallback: string;
  readonly telemetry: TelemetryChannel;
  readonly signal?: AbortSignal | undefined;
  readonly scope?: Scope | undefined;
}): void {
  if (options.signal?.aborted) {
    if (AbortError.isInstance(options.error)) throw options.error;
    throwIfAborted(options.signal, options.strategy);
  }
  if (!options.telemetry.active) return;
  const failure = describeFailure(options.error);
  options.telemetry.emit({
    type: 'error',
    timestamp: Date.now(),
    scope: options.scope,
    source: 'rag',
    code: failure.code,
    message: `${options.strategy} failed (${failure.message}); ${options.fallback}.`,
    retryable: failure.retryable,
  });
}
