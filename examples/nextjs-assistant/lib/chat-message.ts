import type { UIMessage } from 'ai';

/** What the chat route tells the page about an answer, besides its text and sources. */
export interface ChatMetadata {
  readonly requestId?: string;
  /** `offline/extractive`, or `openai/gpt-4o-mini` with OPENAI_API_KEY. */
  readonly model?: string;
  /** Input tokens of the assembled prompt, and the budget it was held to. */
  readonly promptTokens?: number;
  readonly maxTokens?: number;
  readonly contextItems?: number;
  readonly passages?: number;
  readonly memoryMessages?: number;
  readonly durationMs?: number;
}

/** A citation as it travels in a `source-document` part's `providerMetadata.neptune`. */
export interface CitationMetadata {
  readonly marker: number;
  readonly documentId: string;
  readonly passageId: string;
}

export type ChatMessage = UIMessage<ChatMetadata>;
