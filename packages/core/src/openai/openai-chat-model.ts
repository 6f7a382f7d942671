import type OpenAI from 'openai';
import { z } from 'zod';
import { generateStructured } from '../chat/structured-output';
import type { ChatModel, StructuredRequest } from '../contracts/chat-model';
import { StructuredOutputError, ValidationError } from '../errors';
import { OPENAI_PROVIDER, reportFailure } from '../telemetry/model-call-events';
import { defaultTelemetry } from '../telemetry/telemetry-channel';
import { parseOptions } from '../validation';
import { streamChatCompletion } from './chat-stream';
import { completeChat } from './complete-chat';
import { resolveOpenAIClient } from './openai-client';
import { openaiConnectionOptionsShape, positiveInteger } from './openai-options';
import { structuredResponseFormat } from './structured-response-format';

const openaiChatModelOwnShape = {
  /** The chat model's name. Default `gpt-4o-mini`. */
  model: z.string().min(1).default('gpt-4o-mini'),
  /**
   * Limit for one attempt, in ms; for streams, the wait for the first byte and then each gap between
   * chunks. Default 60,000.
   */
  timeoutMs: positiveInteger.default(60_000),
  /** How `generateObject` asks for JSON; see `StructuredOutputMode`. Default `json-schema`. */
  structuredOutput: z.enum(['json-schema', 'json-object']).default('json-schema'),
};
// Annotated with the shapes' types (an intersection: the type of a spread loses the field comments).
const openaiChatModelOptionsSchema: z.ZodObject<
  typeof openaiConnectionOptionsShape & typeof openaiChatModelOwnShape
> = z.object({
  ...openaiConnectionOptionsShape,
  ...openaiChatModelOwnShape,
});

/**
 * Options of `openaiChatModel`: the model, the client or how to build one, retries, the timeout and the JSON
 * mode.
 */
export type OpenAIChatModelOptions = z.input<typeof openaiChatModelOptionsSchema>;

export interface OpenAIChatModel extends ChatModel {
  /** The underlying `openai` client, for calls Neptune does not wrap. */
  readonly client: OpenAI;
}

/**
 * A `ChatModel` on OpenAI's chat completions API (or any compatible endpoint): plain answers, SSE streams
 * with usage, and zod-validated structured output with one repair attempt.
 */
export function openaiChatModel(options: OpenAIChatModelOptions = {}): OpenAIChatModel {
  const settings = parseOptions(openaiChatModelOptionsSchema, options, 'openaiChatModel options');
  const client = resolveOpenAIClient(settings, 'openaiChatModel');
  const telemetry = settings.telemetry ?? defaultTelemetry();
  const model = settings.model;
  const policy = { ...settings, what: `The OpenAI chat request (${model})` };
  const context = { client, model, policy, telemetry };

  return {
    provider: OPENAI_PROVIDER,
    model,
    client,
    generate: (request) => completeChat(context, request, 'chat'),
    stream: (request) => streamChatCompletion({ client, model, request, policy, telemetry }),
    generateObject: async <Schema extends z.ZodType>(request: StructuredRequest<Schema>) => {
      if (typeof request?.schema?.safeParse !== 'function') {
        throw new ValidationError({
          message: 'generateObject() needs a zod schema as `schema`, e.g. z.object({ ... }).',
        });
      }
      const response_format = structuredResponseFormat(
        request.schema,
        request.schemaName,
        settings.structuredOutput,
      );
      try {
        return await generateStructured({
          request,
          generate: (chatRequest) => completeChat(context, chatRequest, 'structured', { response_format }),
          describeSchemaInPrompt: settings.structuredOutput === 'json-object',
        });
      } catch (error) {
        // Failures of single calls were reported inside `complete`; this reports the final schema failure.
        throw StructuredOutputError.isInstance(error) ? reportFailure(telemetry, error) : error;
      }
    },
  };
}
