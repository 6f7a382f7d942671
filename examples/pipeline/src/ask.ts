import { createAssistant } from '@neptune/assistant';
import type { AssembledCitation } from '@neptune/context';
import type { ChatModel } from '@neptune/core';
import type { KnowledgeBase } from '@neptune/rag';
import { chooseChatModel } from './chat-model';
import { SCOPE, shippedKnowledgeBase } from './shipped-knowledge-base';

export interface AskResult {
  readonly answer: string;
  /** Every passage the prompt numbered, `[1]` first. */
  readonly citations: readonly AssembledCitation[];
  /** The markers the answer actually uses. */
  readonly cited: readonly number[];
  readonly promptTokens: number;
  readonly model: string;
}

export interface AskOptions {
  /** Default: `chooseChatModel()` (OpenAI with a key, else the offline extractive model). */
  readonly model?: ChatModel | undefined;
  /** Default: the shipped knowledge base. */
  readonly knowledgeBase?: KnowledgeBase | undefined;
  /** Receives the answer as it streams. */
  readonly onText?: ((text: string) => void) | undefined;
}

/**
 * Retrieval-augmented answering with the assistant: hybrid search with citations, the passages numbered
 * [1], [2]... in a prompt within a token budget, and the model's streamed answer. Returns the answer with
 * the citations behind its [n] markers.
 */
export async function ask(question: string, options: AskOptions = {}): Promise<AskResult> {
  const knowledgeBase = options.knowledgeBase ?? (await shippedKnowledgeBase());
  const model = options.model ?? (await chooseChatModel());
  const assistant = createAssistant({
    model,
    knowledge: knowledgeBase,
    memory: false,
    budget: { maxTokens: 4_000 },
    maxOutputTokens: 400,
  });

  const result = await assistant.respond({ scope: SCOPE, message: question });
  let answer = '';
  for await (const text of result.textStream) {
    answer += text;
    options.onText?.(text);
  }
  const { cited } = await result.finished;
  return {
    answer,
    citations: result.citations,
    cited,
    promptTokens: result.prepared.assembled.tokens.total,
    model: `${model.provider}/${model.model}`,
  };
}

/** `[1] Refund policy (billing-refunds, characters 0-351)`: one line per source, the cited ones marked. */
export function formatCitations(result: AskResult): string[] {
  return result.citations.map((citation) => {
    const where = `${citation.documentId}, characters ${citation.start}-${citation.end}`;
    const mark = result.cited.includes(citation.marker) ? '' : '  (retrieved, not cited)';
    return `[${citation.marker}] ${citation.title ?? citation.documentId} (${where})${mark}`;
  });
}
