import type { z } from 'zod';
import type { TelemetryScope } from '../telemetry/events';

/** Who a chat message is from. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** One message of a chat: who says it and what. */
export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** What a `ChatModel` is asked: the messages and the generation settings. */
export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** Upper bound on generated tokens. */
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Whose request this is, put on the call's `model-call` event: per-workspace tokens and cost with one
   * model for the whole app. Never sent to the provider.
   */
  readonly scope?: TelemetryScope | undefined;
  /** Correlates the call's events with the rest of the request's. Never sent to the provider. */
  readonly requestId?: string | undefined;
}

/** The tokens one model call read and wrote. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at a lower rate). */
  readonly cachedInputTokens?: number | undefined;
}

/** Why a model stopped: the answer was complete, hit `maxOutputTokens`, was filtered, or failed. */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'error' | 'other';

/** A chat model's whole answer, its token usage and why it stopped. */
export interface ChatResult {
  readonly text: string;
  readonly usage: TokenUsage;
  readonly finishReason: FinishReason;
}

/** One part of a streamed answer: a piece of text, or the final part with the usage and why it stopped. */
export type ChatStreamPart =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'finish'; readonly usage: TokenUsage; readonly finishReason: FinishReason };

/** A chat request whose answer must be JSON matching a zod schema. */
export interface StructuredRequest<Schema extends z.ZodType> extends ChatRequest {
  readonly schema: Schema;
  /** A short name for the schema, sent to providers that ask for one. */
  readonly schemaName?: string | undefined;
}

/** A structured answer, validated against the schema, with its token usage. */
export interface StructuredResult<T> {
  readonly object: T;
  readonly usage: TokenUsage;
  /** 1 when the first answer parsed, 2 when the repair attempt was needed. */
  readonly attempts: number;
}

/**
 * A chat model. `generateObject` returns output validated by the zod schema or throws
 * `StructuredOutputError`; `generateStructured()` in `@neptune/core` implements it for any model on top of
 * `generate`, with one repair attempt.
 */
export interface ChatModel {
  readonly provider: string;
  readonly model: string;
  generate(request: ChatRequest): Promise<ChatResult>;
  stream(request: ChatRequest): AsyncIterable<ChatStreamPart>;
  generateObject<Schema extends z.ZodType>(
    request: StructuredRequest<Schema>,
  ): Promise<StructuredResult<z.output<Schema>>>;
}
