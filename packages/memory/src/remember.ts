import { type ChatMessage, NeptuneError, parseInput, type Scope } from '@neptune/core';
import { z } from 'zod';
import { parseConversationId } from './conversations/conversation-inputs';
import type { NewMessage, StoredMessage } from './conversations/conversation-store';
import type { MemoryContext } from './memory-context';
import { randomId } from './record-id';
import { userScopeKeys } from './scope-guards';
import { mergeExtraction } from './session/merge-extraction';
import { currentFacts, emptySessionMemory, type SessionMemory } from './session/session-memory';

/** A turn: the user's message and the assistant's answer, or any list of messages. */
export type Turn = { readonly user: string; readonly assistant?: string | undefined } | readonly NewMessage[];

const rememberOptionsShape = {
  /** Stops the update of session memory between its model calls (the messages are stored first). */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const rememberOptionsSchema: z.ZodObject<typeof rememberOptionsShape> = z.object(rememberOptionsShape);

/** Options of `remember`. */
export type RememberOptions = z.input<typeof rememberOptionsSchema>;

/** What `remember` did: the messages stored, and how session memory changed. */
export interface RememberResult {
  /** The messages as stored, with their ids and sequence numbers. */
  readonly messages: StoredMessage[];
  /** True when session memory was updated. */
  readonly updated: boolean;
  readonly factsAdded: number;
  readonly factsSuperseded: number;
  /** True when older turns were folded into the summary on this turn. */
  readonly summarized: boolean;
  /** Model (or offline strategy) calls made: extraction, plus summarization on a fold. */
  readonly strategyCalls: number;
  /** Why memory was not updated: the user opted out, or a strategy failed (see `error`). */
  readonly skipped?: 'opted-out' | 'failed' | undefined;
  /** The failure, when `skipped` is `failed`. The messages are stored; the next turn catches up. */
  readonly error?: NeptuneError | undefined;
}

const turnSchema = z.union([
  z.object({ user: z.string(), assistant: z.string().optional() }).strict(),
  z.array(z.unknown()),
]);

function toMessages(turn: Turn): NewMessage[] {
  const checked = parseInput(turnSchema, turn, 'turn');
  if (Array.isArray(checked)) return checked as NewMessage[];
  const { user, assistant } = checked as { user: string; assistant?: string };
  return assistant === undefined
    ? [{ role: 'user', content: user }]
    : [
        { role: 'user', content: user },
        { role: 'assistant', content: assistant },
      ];
}

async function appendCreating(
  context: MemoryContext,
  scope: Scope,
  conversationId: string,
  messages: NewMessage[],
) {
  try {
    return await context.conversations.appendMessages(scope, conversationId, messages);
  } catch (error) {
    if (!NeptuneError.isInstance(error) || error.code !== 'not-found') throw error;
    await context.conversations.createConversation(scope, { id: conversationId });
    return context.conversations.appendMessages(scope, conversationId, messages);
  }
}

/** The messages not yet through extraction: normally this turn's; after a failure, the backlog too. */
async function pendingMessages(
  context: MemoryContext,
  scope: Scope,
  memory: SessionMemory,
  stored: StoredMessage[],
): Promise<StoredMessage[]> {
  const from = Math.max(memory.extractedThroughSequence, memory.summarizedThroughSequence);
  if (stored[0]!.sequence - 1 <= from) return stored.filter((message) => message.sequence > from);
  const page = await context.conversations.listMessages(scope, memory.conversationId, {
    afterSequence: from,
    limit: 40,
  });
  return page.items.reverse();
}

/**
 * Folds the oldest unsummarised turns into the summary once `2 × N` turns are waiting, keeping the last
 * `N` in full: one summarizer call every N turns, and the window never holds fewer than N turns.
 */
async function foldIfDue(context: MemoryContext, scope: Scope, memory: SessionMemory, signal?: AbortSignal) {
  const keep = context.settings.summarizeEveryTurns;
  if (memory.turnsSinceSummary < 2 * keep) return undefined;
  const page = await context.conversations.listMessages(scope, memory.conversationId, {
    afterSequence: memory.summarizedThroughSequence,
    limit: 200,
  });
  const unsummarized = page.items.reverse();
  const userMessages = unsummarized.filter((message) => message.role === 'user');
  const firstKept = userMessages.at(-keep);
  if (firstKept === undefined) return undefined;
  const folded = unsummarized.filter((message) => message.sequence < firstKept.sequence);
  if (folded.length === 0) return undefined;
  const summary = await context.summarizer.summarize(
    folded.map((message): ChatMessage => ({ role: message.role, content: message.content })),
    { maxTokens: context.settings.summaryMaxTokens, previousSummary: memory.summary || undefined, signal },
  );
  return {
    ...memory,
    summary,
    summarySince:
      memory.summary === '' ? folded[0]!.createdAt : (memory.summarySince ?? folded[0]!.createdAt),
    summarizedThroughSequence: firstKept.sequence - 1,
    turnsSinceSummary: userMessages.length - userMessages.indexOf(firstKept),
  } satisfies SessionMemory;
}

function toNeptuneError(error: unknown): NeptuneError {
  if (NeptuneError.isInstance(error)) return error;
  return new NeptuneError({
    code: 'provider-error',
    message: `Memory extraction or summarization failed: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

/**
 * Stores a turn and updates the conversation's session memory: one extraction call for the new messages
 * (given the current facts, so updates supersede them), and a summarization call every N turns. Meant
 * to run off the request path: await it, or hand it to `waitUntil`. It rejects only when the messages
 * cannot be stored; a failed extraction is reported in the result and caught up on the next turn.
 */
export async function remember(
  context: MemoryContext,
  scope: Scope,
  conversationId: string,
  turn: Turn,
  options: RememberOptions = {},
): Promise<RememberResult> {
  const keys = userScopeKeys(scope, 'remember');
  const id = parseConversationId(conversationId);
  const { signal } = parseInput(rememberOptionsSchema, options, 'remember options');
  const startedAt = Date.now();
  const stored = await appendCreating(context, keys.scope, id, toMessages(turn));
  const base = { messages: stored, factsAdded: 0, factsSuperseded: 0, summarized: false, strategyCalls: 0 };
  const report = (result: RememberResult, facts: number) => {
    if (context.telemetry.active) {
      context.telemetry.emit({
        type: 'memory-update',
        timestamp: startedAt,
        scope: keys.scope,
        durationMs: Date.now() - startedAt,
        facts,
        summarized: result.summarized,
        superseded: result.factsSuperseded,
        modelCalls: result.strategyCalls,
        skipped: result.skipped,
      });
    }
    return result;
  };
  if (!(await context.consentOf(keys.scope)).extraction) {
    return report({ ...base, updated: false, skipped: 'opted-out' }, 0);
  }
  return context.withLock(keys.scope, id, async () => {
    const now = context.now();
    let memory = (await context.sessions.load(keys.scope, id)) ?? emptySessionMemory(id, now);
    const result = { ...base };
    let changed = false;
    try {
      const pending = await pendingMessages(context, keys.scope, memory, stored);
      if (pending.length > 0) {
        const extraction = await context.extractor.extract(
          pending.map((message): ChatMessage => ({ role: message.role, content: message.content })),
          { knownFacts: currentFacts(memory), signal },
        );
        result.strategyCalls++;
        const merged = mergeExtraction(memory, extraction, {
          messages: pending,
          now,
          maxFacts: context.settings.maxFacts,
          maxEntities: context.settings.maxEntities,
          newId: randomId,
        });
        result.factsAdded = merged.added;
        result.factsSuperseded = merged.superseded;
        memory = {
          ...merged.memory,
          extractedThroughSequence: pending.at(-1)!.sequence,
          turnsSinceSummary:
            memory.turnsSinceSummary + pending.filter((message) => message.role === 'user').length,
        };
        changed = true;
      }
      const folded = await foldIfDue(context, keys.scope, memory, signal);
      if (folded) {
        result.strategyCalls++;
        result.summarized = true;
        memory = folded;
      }
    } catch (error) {
      const failure = toNeptuneError(error);
      if (context.telemetry.active) {
        context.telemetry.emit({
          type: 'error',
          timestamp: Date.now(),
          scope: keys.scope,
          source: 'memory',
          code: failure.code,
          message: failure.message,
          retryable: failure.isRetryable,
        });
      }
      // Keep what succeeded (an extraction before a failed fold); the rest is retried next turn.
      if (changed) await context.sessions.save(keys.scope, memory);
      return report(
        { ...result, updated: false, skipped: 'failed', error: failure },
        currentFacts(memory).length,
      );
    }
    await context.sessions.save(keys.scope, { ...memory, updatedAt: now });
    return report({ ...result, updated: true }, currentFacts(memory).length);
  });
}
