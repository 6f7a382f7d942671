import { parseInput, type Scope } from '@neptune/core';
import { z } from 'zod';
import { parseConversationId } from './conversations/conversation-inputs';
import type { MemoryContext } from './memory-context';
import { fitRecallToBudget } from './recall/fit-recall-to-budget';
import { memoryPreamble, type RecallResult } from './recall/recall-result';
import { userScopeKeys } from './scope-guards';
import { currentFacts } from './session/session-memory';

export interface RecallOptions {
  /** The most tokens the result may take, headings included (a positive integer). */
  readonly maxTokens: number;
}

const recallOptionsSchema = z.object({ maxTokens: z.number().int().min(1).max(1_000_000) }).strict();

/**
 * What the model needs to continue a conversation, within `maxTokens`: the latest turns in full, the
 * rolling summary of older ones, and the current facts (newest first). A user who opted out of
 * extraction gets the window only. One read of the key-value store and one bounded, indexed query.
 */
export async function recall(
  context: MemoryContext,
  scope: Scope,
  conversationId: string,
  options: RecallOptions,
): Promise<RecallResult> {
  const keys = userScopeKeys(scope, 'recall');
  const id = parseConversationId(conversationId);
  const { maxTokens } = parseInput(recallOptionsSchema, options, 'recall options');
  const startedAt = Date.now();
  const consent = await context.consentOf(keys.scope);
  const memory = consent.extraction ? await context.sessions.load(keys.scope, id) : undefined;
  // Everything after the summary: between N and 2N - 1 turns, plus slack for system messages.
  const windowLimit = Math.min(200, 4 * context.settings.summarizeEveryTurns + 10);
  const [page, tokenizer] = await Promise.all([
    context.conversations.listMessages(keys.scope, id, {
      afterSequence: memory?.summarizedThroughSequence ?? 0,
      limit: windowLimit,
    }),
    context.tokenizer(),
  ]);
  const facts = memory ? currentFacts(memory).reverse() : [];
  const fitted = fitRecallToBudget({
    tokenizer,
    maxTokens,
    window: page.items,
    summary: memory?.summary ?? '',
    facts,
    shares: context.settings.recallShares,
  });
  if (context.telemetry.active) {
    context.telemetry.emit({
      type: 'memory-recall',
      timestamp: startedAt,
      scope: keys.scope,
      durationMs: Date.now() - startedAt,
      tokens: fitted.tokens.total,
      maxTokens,
      messages: fitted.messages.length,
      facts: fitted.facts.length,
      summarized: fitted.summary !== undefined,
    });
  }
  return {
    messages: fitted.messages,
    summary: fitted.summary,
    facts: fitted.facts,
    entities: memory ? [...memory.entities] : [],
    tokens: fitted.tokens,
    omitted: {
      messages: page.items.length - fitted.messages.length,
      facts: facts.length - fitted.facts.length,
    },
    toChatMessages() {
      const preamble = memoryPreamble(fitted.summary, fitted.facts);
      const window = fitted.messages.map((message) => ({ role: message.role, content: message.content }));
      return preamble === undefined ? window : [{ role: 'system', content: preamble }, ...window];
    },
  };
}
