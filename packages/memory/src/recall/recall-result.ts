import type { ChatMessage } from '@neptune/core';
import type { StoredMessage } from '../conversations/conversation-store';
import type { MemoryEntity, MemoryFact } from '../session/session-memory';

/** The tokens each part of a recall takes. */
export interface RecallTokens {
  readonly messages: number;
  readonly summary: number;
  readonly facts: number;
  /** All of it, headings included; never more than `maxTokens`. */
  readonly total: number;
}

/** What `recall` returns: the latest turns, the summary and facts that fit the budget, and what failed. */
export interface RecallResult {
  /** The latest turns in full, oldest first. */
  readonly messages: StoredMessage[];
  /** The rolling summary of older turns (cut to its share of the budget), if any. */
  readonly summary: string | undefined;
  /** Current facts that fit, newest first. */
  readonly facts: MemoryFact[];
  readonly entities: MemoryEntity[];
  readonly tokens: RecallTokens;
  /** What the budget left out. */
  readonly omitted: { readonly messages: number; readonly facts: number };
  /**
   * Reads that failed and what they cost (`session: StoreError ...`: no summary or facts; `conversation:
   * ...`: no recent turns; `consent: ...`: the window only). Empty when everything answered: recall
   * degrades rather than rejecting when a store is down.
   */
  readonly degraded: readonly string[];
  /** One system message with the summary and facts, then the window: ready to prepend to a prompt. */
  toChatMessages(): ChatMessage[];
}

export const SUMMARY_HEADING = 'Summary of the earlier conversation:';
export const FACTS_HEADING = 'Facts from this conversation (newest first):';

/** The system message `toChatMessages()` puts first; its tokens are counted by the budget. */
export function memoryPreamble(
  summary: string | undefined,
  facts: readonly MemoryFact[],
): string | undefined {
  const parts: string[] = [];
  if (summary !== undefined && summary !== '') parts.push(`${SUMMARY_HEADING}\n${summary}`);
  if (facts.length > 0) parts.push(`${FACTS_HEADING}\n${facts.map((fact) => `- ${fact.text}`).join('\n')}`);
  return parts.length === 0 ? undefined : parts.join('\n\n');
}
