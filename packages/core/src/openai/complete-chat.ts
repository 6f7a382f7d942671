import type OpenAI from 'openai';
import type { ChatRequest, ChatResult } from '../contracts/chat-model';
import { ProviderError } from '../errors';
import { emitModelCall, reportFailure } from '../telemetry/model-call-events';
import type { TelemetryChannel } from '../telemetry/telemetry-channel';
import { callOpenAI, type OpenAICallPolicy } from './call-openai';
import { toChatCompletionParams } from './chat-completion-params';
import { toFinishReason, toTokenUsage } from './chat-completion-results';
import { mapOpenAIError } from './map-openai-error';

export type ExtraParams = Pick<OpenAI.ChatCompletionCreateParamsNonStreaming, 'response_format'>;

/**
 * One non-streaming chat completion under the retry and timeout policy, reported to telemetry. `extra`
 * carries request fields only some operations use, such as `response_format` for structured output.
 */
export async function completeChat(
  context: {
    client: OpenAI;
    model: string;
    policy: Omit<OpenAICallPolicy, 'signal'>;
    telemetry: TelemetryChannel;
  },
  request: ChatRequest,
  operation: 'chat' | 'structured',
  extra: ExtraParams = {},
): Promise<ChatResult> {
  const { client, model, telemetry } = context;
  const policy = { ...context.policy, signal: (request as ChatRequest | undefined)?.signal };
  const startedMs = performance.now();
  try {
    const params = toChatCompletionParams(request, model);
    const { value, retries } = await callOpenAI(
      (signal) =>
        client.chat.completions.create({ ...params, ...extra, stream: false }, { signal, maxRetries: 0 }),
      policy,
    );
    const choice = value.choices[0];
    if (choice === undefined) {
      throw new ProviderError({
        message: `${policy.what} returned no choices. Check the \`baseURL\` endpoint.`,
      });
    }
    // A refusal arrives instead of content; returning it lets the caller see why there is no answer.
    const text = choice.message.content ?? choice.message.refusal ?? '';
    const result: ChatResult = {
      text,
      usage: toTokenUsage(value.usage),
      finishReason: toFinishReason(choice.finish_reason),
    };
    emitModelCall(telemetry, {
      model,
      operation,
      usage: result.usage,
      durationMs: performance.now() - startedMs,
      finishReason: result.finishReason,
      retries,
      scope: request.scope,
      requestId: request.requestId,
    });
    return result;
  } catch (error) {
    throw reportFailure(telemetry, mapOpenAIError(error, policy));
  }
}
