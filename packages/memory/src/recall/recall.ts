import { parseInput, type Scope, throwIfAborted } from '@neptune/core';
import { z } from 'zod';
import { parseConversationId } from '../conversations/conversation-inputs';
import type { StoredMessage } from '../conversations/conversation-store';
import type { MemoryContext } from '../memory-context';
import { userScopeKeys } from '../scope-guards';
import { currentFacts } from '../session/session-memory';
import { fitRecallToBudget } from './fit-recall-to-budget';
import { memoryPreamble, type RecallResult } from './recall-result';

const recallOptionsShape = {
  /** The most tokens the result may take, headings included (a positive integer). */
  maxTokens: z.number().int().min(1).max(1_000_000),
  /** Stops the recall between its reads (it then throws `AbortError`). */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
  /** Correlates the `memory-recall` event with the rest of the request's. */
  requestId: z.string().max(256).optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const recallOptionsSchema: z.ZodObject<typeof recallOptionsShape, z.core.$strict> =
  z.strictObject(recallOptionsShape);

/** Options of `recall`. */
export type RecallOptions = z.input<typeof recallOptionsSchema>;

const describeFailure = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** Runs one read; a failure is recorded in `degraded` under `name` and answers `fallback`. */
async function orElse<T>(degraded: string[], name: string, read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    degraded.push(`${name}: ${describeFailure(error)}`);
    return fallback;
  }
}

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
  const { maxTokens, signal, requestId } = parseInput(recallOptionsSchema, options, 'recall options');
  const startedAt = Date.now();
  throwIfAborted(signal, 'Recall');
  // Each read degrades on its own: a key-value store that is down costs the summary and facts, a
  // conversation store that is down the recent turns; the caller gets what answered and `degraded`.
  const degraded: string[] = [];
  // Unknown consent reads as "no extraction": the window only, never facts the user may have refused.
  const consent = await orElse(degraded, 'consent', () => context.consentOf(keys.scope), {
    extraction: false,
    learning: false,
  });
  const memory = consent.extraction
    ? await orElse(degraded, 'session', () => context.sessions.load(keys.scope, id), undefined)
    : undefined;
  throwIfAborted(signal, 'Recall');
  // Everything after the summary: between N and 2N - 1 turns, plus slack for system messages.
  const windowLimit = Math.min(200, 4 * context.settings.summarizeEveryTurns + 10);
  const [page, tokenizer] = await Promise.all([
    orElse(
      degraded,
      'conversation',
      () =>
        context.conversations.listMessages(keys.scope, id, {
          afterSequence: memory?.summarizedThroughSequence ?? 0,
          limit: windowLimit,
        }),
      { items: [] as StoredMessage[], nextCursor: undefined },
    ),
    context.tokenizer(),
  ]);
  throwIfAborted(signal, 'Recall');
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
      requestId,
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
    degraded,
    toChatMessages() {
      const preamble = memoryPreamble(fitted.summary, fitted.facts);
      const window = fitted.messages.map((message) => ({ role: message.role, content: message.content }));
      return preamble === undefined ? window : [{ role: 'system', content: preamble }, ...window];
    },
  };
}
