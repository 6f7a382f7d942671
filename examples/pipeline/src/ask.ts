import { type AssembledCitation, assembleContext } from '@neptune/context';
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
 * Retrieval-augmented answering in three calls: `retrieve` (hybrid search with citations),
 * `assembleContext` (the messages, passages numbered [1], [2]... within a token budget) and the chat
 * model's `stream`. Returns the answer with the citations behind its [n] markers.
 */
export async function ask(question: string, options: AskOptions = {}): Promise<AskResult> {
  const knowledgeBase = options.knowledgeBase ?? (await shippedKnowledgeBase());
  const model = options.model ?? (await chooseChatModel());

  const { passages } = await knowledgeBase.retrieve(SCOPE, question, { topK: 4 });
  const { messages, citations, tokens } = await assembleContext({
    query: question,
    passages,
    budget: { maxTokens: 4_000 },
    scope: SCOPE,
  });

  let answer = '';
  for await (const part of model.stream({ messages, maxOutputTokens: 400 })) {
    if (part.type !== 'text-delta') continue;
    answer += part.text;
    options.onText?.(part.text);
  }
  const used = [...answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
  const cited = [...new Set(used)].filter((marker) =>
    citations.some((citation) => citation.marker === marker),
  );
  return { answer, citations, cited, promptTokens: tokens.total, model: `${model.provider}/${model.model}` };
}

/** `[1] Refund policy (billing-refunds, characters 0-351)`: one line per source, the cited ones marked. */
export function formatCitations(result: AskResult): string[] {
  return result.citations.map((citation) => {
    const where = `${citation.documentId}, characters ${citation.start}-${citation.end}`;
    const mark = result.cited.includes(citation.marker) ? '' : '  (retrieved, not cited)';
    return `[${citation.marker}] ${citation.title ?? citation.documentId} (${where})${mark}`;
  });
}
