import {
  type ChatMessage,
  defaultTelemetry,
  parseInput,
  type Tokenizer,
  ValidationError,
} from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { rankItems, type ScoredContextItem } from '../score/score-context-items';
import { SECTION_NAMES, type SectionName } from './allocate-budget';
import {
  type AssembleContextInput,
  assembleInputSchema,
  type ResolvedAssembleInput,
} from './assemble-context-input';
import type { AssembledContext, DroppedElement } from './assembled-context';
import {
  type Candidate,
  contextCandidates,
  memoizedCount,
  memoryCandidates,
  passageCandidates,
} from './build-candidates';
import { countChatTokens, MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMING_TOKENS } from './count-chat-tokens';
import { citationOf, describeDropped, describeKept } from './describe-elements';
import { type Packed, packSections } from './pack-sections';
import { renderItem } from './render-elements';
import { type KeptElement, renderMessages } from './render-messages';

export type {
  AssembledCitation,
  AssembledContext,
  AssembledElement,
  DroppedElement,
} from './assembled-context';

/**
 * Builds the messages for one model call within one token budget shared by app context, retrieved
 * passages and conversation memory. Items are scored and ranked; the top `fullDetailItems` are shown in
 * full and the rest as one-line summaries; passages keep their retrieval order and their citations;
 * memory keeps the latest turns. Nothing is cut mid-element, a lower-ranked element is never kept in place
 * of a higher-ranked one of the same section, the total never exceeds `budget.maxTokens`, and the same
 * input (with the same `now`) always gives byte-identical output.
 */
export async function assembleContext(input: AssembleContextInput): Promise<AssembledContext> {
  const startedAt = performance.now();
  const checked = parseInput(assembleInputSchema, input, 'assembleContext input');
  const tokenizer = checked.tokenizer ?? (await createTokenizer({ encoding: checked.encoding }));
  const now = checked.now ?? Date.now();
  const count = memoizedCount(tokenizer);
  const maxTokens = checked.budget.maxTokens;

  const ranking = rankAndFilter(checked, now);
  const candidates: Record<SectionName, Candidate[]> = {
    context: contextCandidates(ranking.ranked, checked, now, count),
    passages: passageCandidates(checked, count),
    memory: memoryCandidates(checked, count),
  };
  const available = maxTokens - fixedTokens(checked, count);
  const packed = packSections(candidates, available, checked.budget.shares);
  let messages = render(checked, now, packed);
  let total = countChatTokens(messages, tokenizer);
  // Elements were counted one by one; joined, BPE merges can differ by a token or two. Check the real
  // count and drop the last-ranked elements until it fits, so the cap holds whatever the text.
  while (total > maxTokens) {
    const section = SECTION_NAMES.find((name) => packed[name].kept.length > 0);
    if (section === undefined) break;
    const removed = packed[section].kept.pop()!;
    packed[section].dropped.unshift({ source: removed.source, forms: [removed.form], headers: [] });
    packed[section].usedTokens -= removed.form.tokens;
    messages = render(checked, now, packed);
    total = countChatTokens(messages, tokenizer);
  }

  const telemetry = checked.telemetry ?? defaultTelemetry();
  const unprunedTokens =
    checked.measureUnpruned || telemetry.active
      ? countUnpruned(checked, now, ranking.distinct, candidates, tokenizer)
      : undefined;
  const result: AssembledContext = {
    messages,
    tokens: {
      total,
      maxTokens,
      sections: {
        context: packed.context.usedTokens,
        passages: packed.passages.usedTokens,
        memory: packed.memory.usedTokens,
      },
    },
    included: SECTION_NAMES.flatMap((section) =>
      packed[section].kept.map((element) => describeKept(checked, element)),
    ),
    dropped: [
      ...ranking.dropped,
      ...SECTION_NAMES.flatMap((section) =>
        packed[section].dropped.map((candidate) => describeDropped(checked, candidate.source, 'budget')),
      ),
    ],
    citations: packed.passages.kept.map((element) => citationOf(input, element.source)),
    ...(checked.measureUnpruned ? { unprunedTokens } : {}),
  };
  if (telemetry.active) {
    telemetry.emit({
      type: 'context-assemble',
      timestamp: Date.now(),
      scope: checked.scope,
      requestId: checked.requestId,
      tokensBefore: unprunedTokens ?? total,
      tokensAfter: total,
      items: packed.context.kept.length,
      dropped: result.dropped.length,
      maxTokens,
      passages: packed.passages.kept.length,
      memoryMessages: packed.memory.kept.filter(
        (element) => element.source.section === 'memory' && element.source.part === 'message',
      ).length,
      durationMs: performance.now() - startedAt,
    });
  }
  return result;
}

/** Ranks items, then sets aside repeats of an id (two sources returning one record), unrelated items, and items under `minScore`. */
function rankAndFilter(input: ResolvedAssembleInput, now: number) {
  const ranked: ScoredContextItem[] = [];
  /** Every item once, related or not: what a prompt with no pruning would show. */
  const distinct: ScoredContextItem[] = [];
  const dropped: DroppedElement[] = [];
  const seen = new Set<string>();
  for (const [rank, scored] of rankItems(
    input.items,
    input.query,
    input.scoring,
    now,
    input.timeZone,
  ).entries()) {
    const reason = seen.has(scored.item.id)
      ? 'duplicate'
      : !scored.score.related && !input.includeUnrelated
        ? 'unrelated'
        : scored.score.score < input.minScore
          ? 'low-score'
          : undefined;
    if (!seen.has(scored.item.id)) distinct.push(scored);
    seen.add(scored.item.id);
    if (reason === undefined) ranked.push(scored);
    else
      dropped.push({
        section: 'context',
        id: scored.item.id,
        kind: scored.item.kind,
        rank,
        reason,
        score: scored.score,
      });
  }
  const seenPassages = new Set<string>();
  for (const [rank, passage] of input.passages.entries()) {
    if (seenPassages.has(passage.id))
      dropped.push({ section: 'passages', id: passage.id, rank, reason: 'duplicate' });
    seenPassages.add(passage.id);
  }
  return { ranked, distinct, dropped };
}

/** The instructions, the query and the chat framing: paid whatever else is included. */
function fixedTokens(input: ResolvedAssembleInput, count: (text: string) => number): number {
  const fixed =
    REPLY_PRIMING_TOKENS +
    MESSAGE_OVERHEAD_TOKENS * 2 +
    count(input.query) +
    (input.instructions.trim() === '' ? 0 : count(input.instructions.trim()) + 1);
  if (fixed > input.budget.maxTokens) {
    throw new ValidationError({
      message: `The query and instructions alone take ${fixed} tokens, over budget.maxTokens (${input.budget.maxTokens}). Shorten the instructions or the query, or raise budget.maxTokens.`,
      details: { fixedTokens: fixed, maxTokens: input.budget.maxTokens },
    });
  }
  return fixed;
}

function render(input: ResolvedAssembleInput, now: number, packed: Packed): ChatMessage[] {
  return renderMessages(input, now, {
    context: packed.context.kept,
    passages: packed.passages.kept,
    memory: packed.memory.kept,
  });
}

function countUnpruned(
  input: ResolvedAssembleInput,
  now: number,
  items: readonly ScoredContextItem[],
  candidates: Record<SectionName, Candidate[]>,
  tokenizer: Tokenizer,
): number {
  // Every element in full: every distinct item (unrelated ones and those past the top ones included),
  // every passage and every memory element, as a prompt with no pruning would show them. Counted once,
  // as one prompt: nothing is counted element by element.
  const clock = { now, timeZone: input.timeZone };
  const inFull = (section: 'passages' | 'memory'): KeptElement[] =>
    candidates[section].map(({ source, forms }) => ({ source, form: forms[0]! }));
  const messages = renderMessages(input, now, {
    context: items.map(({ item, score }, rank) => ({
      source: { section: 'context', item, score, rank },
      form: { mode: 'full', text: renderItem(item, score, 'full', clock), tokens: 0 },
    })),
    passages: inFull('passages'),
    memory: inFull('memory'),
  });
  return countChatTokens(messages, tokenizer);
}
