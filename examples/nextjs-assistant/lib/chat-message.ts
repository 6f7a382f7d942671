import type { AnswerMetadata } from '@neptune/assistant';
import type { UIMessage } from 'ai';

export type { CitationMetadata } from '@neptune/assistant';

/** An answer as the chat page holds it: the assistant's metadata (request id, tokens, passages...) on it. */
export type ChatMessage = UIMessage<AnswerMetadata>;
