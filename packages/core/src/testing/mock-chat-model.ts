import type { z } from 'zod';
import { generateStructured } from '../chat/structured-output';
import type { ChatModel, ChatRequest, ChatResult, ChatStreamPart, TokenUsage } from '../contracts/chat-model';

/** What a mock chat model answers: a fixed text, or a function of the request. */
export type MockChatReply = string | ((request: ChatRequest) => string | Promise<string>);

export interface MockChatModel extends ChatModel {
  /** Every request received, in order (structured calls include the repair attempt). */
  readonly requests: ChatRequest[];
  /** Queues replies used before the default, in order. */
  enqueue(...replies: MockChatReply[]): void;
  failNext(error: Error, count?: number): void;
}

/** Options of `mockChatModel`. */
export interface MockChatModelOptions {
  /** What to answer when the queue is empty. Default: echoes the last user message. */
  readonly reply?: MockChatReply | undefined;
  readonly model?: string | undefined;
  /** Characters per streamed delta. Default 8. */
  readonly streamChunkSize?: number | undefined;
}

/** Rough usage so that token accounting downstream has numbers to add: about 4 characters a token. */
function estimateUsage(request: ChatRequest, text: string): TokenUsage {
  const input = request.messages.reduce((sum, message) => sum + message.content.length, 0);
  return { inputTokens: Math.ceil(input / 4), outputTokens: Math.ceil(text.length / 4) };
}

/**
 * A recording `ChatModel` for tests: scripted replies, streaming in chunks, and structured output through
 * the same `generateStructured` path (with its repair attempt) that real providers use.
 */
export function mockChatModel(options: MockChatModelOptions = {}): MockChatModel {
  const requests: ChatRequest[] = [];
  const queue: MockChatReply[] = [];
  const failures: Error[] = [];
  const chunkSize = options.streamChunkSize ?? 8;

  async function answer(request: ChatRequest): Promise<string> {
    requests.push(request);
    const failure = failures.shift();
    if (failure) throw failure;
    const reply =
      queue.shift() ??
      options.reply ??
      ((incoming: ChatRequest) =>
        incoming.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '');
    return typeof reply === 'function' ? reply(request) : reply;
  }

  async function generate(request: ChatRequest): Promise<ChatResult> {
    const text = await answer(request);
    return { text, usage: estimateUsage(request, text), finishReason: 'stop' };
  }

  return {
    provider: 'mock',
    model: options.model ?? 'mock-chat',
    requests,
    enqueue: (...replies) => queue.push(...replies),
    failNext(error, count = 1) {
      for (let index = 0; index < count; index++) failures.push(error);
    },
    generate,
    async *stream(request): AsyncIterable<ChatStreamPart> {
      const text = await answer(request);
      for (let start = 0; start < text.length; start += chunkSize) {
        yield { type: 'text-delta', text: text.slice(start, start + chunkSize) };
      }
      yield { type: 'finish', usage: estimateUsage(request, text), finishReason: 'stop' };
    },
    generateObject<Schema extends z.ZodType>(
      request: Parameters<ChatModel['generateObject']>[0] & { schema: Schema },
    ) {
      return generateStructured({ request, generate });
    },
  };
}
