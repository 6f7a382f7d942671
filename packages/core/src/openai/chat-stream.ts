import type OpenAI from 'openai';
import { throwIfAborted } from '../async';
import type { ChatRequest, ChatStreamPart, FinishReason, TokenUsage } from '../contracts/chat-model';
import { emitModelCall, reportFailure } from '../telemetry/model-call-events';
import type { TelemetryChannel } from '../telemetry/telemetry-channel';
import { callOpenAI, type OpenAICallPolicy } from './call-openai';
import { toChatCompletionParams } from './chat-completion-params';
import { toFinishReason, toTokenUsage } from './chat-completion-results';
import { mapOpenAIError } from './map-openai-error';
import { withIdleTimeout } from './with-idle-timeout';

export interface ChatStreamSetup {
  readonly client: OpenAI;
  readonly model: string;
  readonly request: ChatRequest;
  /** `timeoutMs` bounds the wait for the response to start, then every gap between chunks. */
  readonly policy: Omit<OpenAICallPolicy, 'signal'>;
  readonly telemetry: TelemetryChannel;
}

/**
 * Streams a chat completion as `text-delta` parts and one final `finish` part carrying usage. Retries
 * happen only before the first byte of the answer: after that, a retry would repeat text already yielded.
 */
export async function* streamChatCompletion(setup: ChatStreamSetup): AsyncGenerator<ChatStreamPart> {
  const { client, model, request, telemetry } = setup;
  // Read defensively: a malformed request is reported by the validation below, not as a TypeError here.
  const signal = (request as ChatRequest | undefined)?.signal;
  const policy = { ...setup.policy, signal };
  const startedMs = performance.now();
  let stopOnAbort: (() => void) | undefined;
  try {
    const params = toChatCompletionParams(request, model);
    const { value: stream, retries } = await callOpenAI(
      (attemptSignal) =>
        client.chat.completions.create(
          { ...params, stream: true, stream_options: { include_usage: true } },
          { signal: attemptSignal, maxRetries: 0 },
        ),
      policy,
    );
    // The attempt's own signal is released once the response has started; from here the caller's signal
    // cancels the body through the stream's controller.
    stopOnAbort = () => stream.controller.abort();
    signal?.addEventListener('abort', stopOnAbort, { once: true });
    if (signal?.aborted) stopOnAbort();

    let usage: TokenUsage | undefined;
    let finishReason: FinishReason = 'other';
    let timeToFirstTokenMs: number | undefined;
    const chunks = withIdleTimeout(stream, {
      timeoutMs: policy.timeoutMs,
      what: `${policy.what} (streaming)`,
      onTimeout: () => stream.controller.abort(),
    });
    for await (const chunk of chunks) {
      if (chunk.usage) usage = toTokenUsage(chunk.usage);
      const choice = chunk.choices[0];
      if (choice?.finish_reason) finishReason = toFinishReason(choice.finish_reason);
      const text = choice?.delta?.content;
      if (text) {
        timeToFirstTokenMs ??= performance.now() - startedMs;
        yield { type: 'text-delta', text };
      }
    }
    // The openai client ends an aborted stream quietly rather than throwing, so the abort is checked here.
    throwIfAborted(signal, policy.what);
    const finalUsage = usage ?? toTokenUsage(undefined);
    // Emitted before the last yield: a consumer that stops at `finish` never resumes this generator.
    emitModelCall(telemetry, {
      model,
      operation: 'stream',
      usage: finalUsage,
      durationMs: performance.now() - startedMs,
      timeToFirstTokenMs,
      finishReason,
      retries,
      scope: request.scope,
      requestId: request.requestId,
    });
    yield { type: 'finish', usage: finalUsage, finishReason };
  } catch (error) {
    throw reportFailure(telemetry, mapOpenAIError(error, policy));
  } finally {
    if (stopOnAbort !== undefined) signal?.removeEventListener('abort', stopOnAbort);
  }
}
