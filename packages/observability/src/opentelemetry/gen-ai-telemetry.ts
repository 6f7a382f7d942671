import type { NeptuneEventOf } from '@neptune/core';
import type { Attributes } from '@opentelemetry/api';
import type { OpenTelemetryInstruments } from './open-telemetry-instruments';

// Attribute objects are written out as literals rather than spread from shared ones: this runs for
// every model call, and literals with fixed keys are several times cheaper to build than spreads.

/** A chat call's span attributes. Neptune's chat, stream and structured calls are all the `chat` operation. */
export function modelCallAttributes(event: NeptuneEventOf<'model-call'>): Attributes {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': event.provider,
    'gen_ai.request.model': event.model,
    'gen_ai.usage.input_tokens': event.inputTokens,
    'gen_ai.usage.output_tokens': event.outputTokens,
    'gen_ai.usage.cache_read.input_tokens': event.cachedInputTokens,
    'gen_ai.response.finish_reasons': event.finishReason === undefined ? undefined : [event.finishReason],
    'neptune.model.operation': event.operation,
    'neptune.model.retries': event.retries,
    'neptune.model.time_to_first_token_ms': event.timeToFirstTokenMs,
    'neptune.workspace.id': event.scope?.workspaceId,
  };
}

export function embeddingCallAttributes(event: NeptuneEventOf<'embedding-call'>): Attributes {
  return {
    'gen_ai.operation.name': 'embeddings',
    'gen_ai.provider.name': event.provider,
    'gen_ai.request.model': event.model,
    'gen_ai.usage.input_tokens': event.inputTokens,
    'neptune.embedding.inputs': event.inputs,
    'neptune.embedding.cached_inputs': event.cached,
    'neptune.workspace.id': event.scope?.workspaceId,
  };
}

/** `gen_ai.client.operation.duration` (seconds) and `gen_ai.client.token.usage` per token type. */
export function recordGenAiMetrics(
  instruments: OpenTelemetryInstruments,
  operation: 'chat' | 'embeddings',
  call: {
    readonly provider: string;
    readonly model: string;
    readonly durationMs: number;
    readonly inputTokens: number;
  },
  outputTokens: number | undefined,
): void {
  const { provider, model } = call;
  instruments.operationDuration.record(call.durationMs / 1000, {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': model,
  });
  instruments.tokenUsage.record(call.inputTokens, {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': model,
    'gen_ai.token.type': 'input',
  });
  if (outputTokens === undefined) return;
  instruments.tokenUsage.record(outputTokens, {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': model,
    'gen_ai.token.type': 'output',
  });
}
