import type { TokenUsage } from '../contracts/chat-model';
import type { NeptuneError } from '../errors';
import type { NeptuneEventMap, TelemetryScope } from './events';
import type { TelemetryChannel } from './telemetry-channel';

export const OPENAI_PROVIDER = 'openai';

export interface ModelCallFacts {
  /** Defaults to `openai`. */
  readonly provider?: string | undefined;
  readonly model: string;
  readonly operation: NeptuneEventMap['model-call']['operation'];
  readonly usage: TokenUsage;
  readonly durationMs: number;
  readonly finishReason: string;
  readonly retries: number;
  readonly timeToFirstTokenMs?: number | undefined;
  /** The request's `scope` and `requestId`, when it gave them. */
  readonly scope?: TelemetryScope | undefined;
  readonly requestId?: string | undefined;
}

export function emitModelCall(channel: TelemetryChannel, facts: ModelCallFacts): void {
  if (!channel.active) return;
  channel.emit({
    type: 'model-call',
    timestamp: Date.now(),
    scope: facts.scope,
    requestId: facts.requestId,
    provider: facts.provider ?? OPENAI_PROVIDER,
    model: facts.model,
    operation: facts.operation,
    inputTokens: facts.usage.inputTokens,
    outputTokens: facts.usage.outputTokens,
    cachedInputTokens: facts.usage.cachedInputTokens,
    durationMs: facts.durationMs,
    timeToFirstTokenMs: facts.timeToFirstTokenMs,
    finishReason: facts.finishReason,
    retries: facts.retries,
  });
}

export function emitEmbeddingCall(
  channel: TelemetryChannel,
  facts: { provider?: string; model: string; inputs: number; inputTokens: number; durationMs: number },
): void {
  if (!channel.active) return;
  const { provider = OPENAI_PROVIDER, ...rest } = facts;
  channel.emit({ type: 'embedding-call', timestamp: Date.now(), provider, ...rest });
}

/**
 * Reports a final failure and hands the error back for throwing. An abort is the caller's decision, not a
 * failure, so it is not reported.
 */
export function reportFailure(
  channel: TelemetryChannel,
  error: NeptuneError,
  source: string = OPENAI_PROVIDER,
): NeptuneError {
  if (channel.active && error.code !== 'aborted') {
    channel.emit({
      type: 'error',
      timestamp: Date.now(),
      source,
      code: error.code,
      message: error.message,
      retryable: error.isRetryable,
    });
  }
  return error;
}
