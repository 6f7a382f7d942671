import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  SharedV3Warning,
} from '@ai-sdk/provider';
import type { ChatModel, ChatRequest } from '../contracts/chat-model';
import { checkArgument } from '../validation';
import { fromAiSdkPrompt, toAiSdkFinishReason, toAiSdkUsage, unsupportedOptions } from './convert-messages';

/**
 * Attribution passed through the AI SDK: `providerOptions: { neptune: { scope, requestId } }` on
 * `streamText`/`generateText` becomes the Neptune request's `scope` and `requestId`.
 */
function attributionOf(options: LanguageModelV3CallOptions): Pick<ChatRequest, 'scope' | 'requestId'> {
  const neptune = options.providerOptions?.neptune as { scope?: unknown; requestId?: unknown } | undefined;
  const scope = neptune?.scope as { workspaceId?: unknown; userId?: unknown } | undefined;
  return {
    scope:
      typeof scope?.workspaceId === 'string'
        ? {
            workspaceId: scope.workspaceId,
            userId: typeof scope.userId === 'string' ? scope.userId : undefined,
          }
        : undefined,
    requestId: typeof neptune?.requestId === 'string' ? neptune.requestId : undefined,
  };
}

function requestOf(options: LanguageModelV3CallOptions): {
  request: ChatRequest;
  warnings: SharedV3Warning[];
} {
  const { messages, warnings } = fromAiSdkPrompt(options.prompt);
  return {
    request: {
      messages,
      maxOutputTokens: options.maxOutputTokens,
      temperature: options.temperature,
      signal: options.abortSignal,
      ...attributionOf(options),
    },
    warnings: [...warnings, ...unsupportedOptions(options)],
  };
}

/**
 * Any Neptune `ChatModel` (the offline `extractiveChatModel()`, `openaiChatModel()`, your own) as a Vercel
 * AI SDK language model, for `streamText`, `generateText` and `wrapLanguageModel`:
 *
 * ```ts
 * const result = streamText({ model: toLanguageModel(extractiveChatModel()), messages: assembled.messages });
 * ```
 *
 * Text in, text out: tools, files and JSON response formats are not supported and come back as warnings.
 * `providerOptions: { neptune: { scope, requestId } }` attributes the call's `model-call` event.
 */
export function toLanguageModel(chatModel: ChatModel): LanguageModelV3 {
  checkArgument(
    typeof chatModel?.generate === 'function' && typeof chatModel.stream === 'function',
    'toLanguageModel: chatModel',
    'a Neptune ChatModel (with generate and stream), such as openAIChatModel() or extractiveChatModel()',
    chatModel,
  );
  return {
    specificationVersion: 'v3',
    provider: chatModel.provider,
    modelId: chatModel.model,
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      const { request, warnings } = requestOf(options);
      const result = await chatModel.generate(request);
      return {
        content: [{ type: 'text', text: result.text }],
        finishReason: toAiSdkFinishReason(result.finishReason),
        usage: toAiSdkUsage(result.usage),
        warnings,
      };
    },
    async doStream(options) {
      const { request, warnings } = requestOf(options);
      const iterator = chatModel.stream(request)[Symbol.asyncIterator]();
      let started = false;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings });
        },
        async pull(controller) {
          try {
            const next = await iterator.next();
            if (next.done) {
              controller.close();
              return;
            }
            const part = next.value;
            if (part.type === 'text-delta') {
              if (!started) controller.enqueue({ type: 'text-start', id: 'text' });
              started = true;
              controller.enqueue({ type: 'text-delta', id: 'text', delta: part.text });
            } else {
              if (started) controller.enqueue({ type: 'text-end', id: 'text' });
              controller.enqueue({
                type: 'finish',
                finishReason: toAiSdkFinishReason(part.finishReason),
                usage: toAiSdkUsage(part.usage),
              });
            }
          } catch (error) {
            controller.enqueue({ type: 'error', error });
            controller.close();
          }
        },
        async cancel() {
          await iterator.return?.();
        },
      });
      return { stream };
    },
  };
}
