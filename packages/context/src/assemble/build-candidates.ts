import type { Tokenizer } from '@neptune/core';
import type { ContextItem } from '../context-item';
import type { ContextItemScore, ScoredContextItem } from '../score/score-context-items';
import type { ResolvedAssembleInput } from './assemble-context-input';
import { MESSAGE_OVERHEAD_TOKENS } from './count-chat-tokens';
import type { PackCandidate } from './pack-prefix';
import {
  contextHeader,
  FACTS_HEADER,
  KNOWLEDGE_HEADER,
  MEMORY_HEADER,
  renderFact,
  renderItem,
  renderPassage,
  renderSummary,
} from './render-elements';

/** What a packed element refers to, so that the result can name it. */
export type ElementSource =
  | {
      readonly section: 'context';
      readonly item: ContextItem;
      readonly score: ContextItemScore;
      readonly rank: number;
    }
  | { readonly section: 'passages'; readonly index: number; readonly marker: number; readonly rank: number }
  | {
      readonly section: 'memory';
      readonly part: 'fact' | 'summary';
      readonly index: number;
      readonly rank: number;
    }
  | { readonly section: 'memory'; readonly part: 'message'; readonly index: number; readonly rank: number };

export type Candidate = PackCandidate<ElementSource>;

// Each element is joined to the previous one by a newline, which costs about one token.
const JOIN_TOKENS = 1;

/** Counts a text once per assembly: the same summary can be asked for by demand, packing and rendering. */
export function memoizedCount(tokenizer: Tokenizer): (text: string) => number {
  const counts = new Map<string, number>();
  return (text) => {
    let count = counts.get(text);
    if (count === undefined) {
      count = tokenizer.count(text);
      counts.set(text, count);
    }
    return count;
  };
}

export function contextCandidates(
  ranked: readonly ScoredContextItem[],
  input: ResolvedAssembleInput,
  now: number,
  count: (text: string) => number,
): Candidate[] {
  const header = { key: 'context', tokens: count(contextHeader(now, input.timeZone)) + JOIN_TOKENS * 2 };
  const clock = { now, timeZone: input.timeZone };
  return ranked.map(({ item, score }, rank) => {
    const summaryText = renderItem(item, score, 'summary', clock);
    const summary = { mode: 'summary' as const, text: summaryText, tokens: count(summaryText) + JOIN_TOKENS };
    const source = { section: 'context' as const, item, score, rank };
    if (rank >= input.fullDetailItems) return { source, forms: [summary], headers: [header] };
    const fullText = renderItem(item, score, 'full', clock);
    const full = { mode: 'full' as const, text: fullText, tokens: count(fullText) + JOIN_TOKENS };
    return { source, forms: fullText === summaryText ? [full] : [full, summary], headers: [header] };
  });
}

export function passageCandidates(
  input: ResolvedAssembleInput,
  count: (text: string) => number,
): Candidate[] {
  const header = { key: 'passages', tokens: count(KNOWLEDGE_HEADER) + JOIN_TOKENS * 2 };
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const [index, passage] of input.passages.entries()) {
    if (seen.has(passage.id)) continue;
    seen.add(passage.id);
    const rank = candidates.length;
    const text = renderPassage(rank + 1, passage.text, passage.citation);
    candidates.push({
      source: { section: 'passages', index, marker: rank + 1, rank },
      forms: [{ mode: 'full', text, tokens: count(text) + JOIN_TOKENS }],
      headers: [header],
    });
  }
  return candidates;
}

/**
 * Memory in the order it is kept when the budget is short: facts (small and durable), then the summary
 * of older turns, then the recent messages from the newest back, so what is kept is always an unbroken
 * run of the latest turns.
 */
export function memoryCandidates(input: ResolvedAssembleInput, count: (text: string) => number): Candidate[] {
  const memoryHeader = { key: 'memory', tokens: count(MEMORY_HEADER) + JOIN_TOKENS * 2 };
  const factsHeader = { key: 'facts', tokens: count(FACTS_HEADER) + JOIN_TOKENS };
  const candidates: Candidate[] = [];
  const seenFacts = new Set<string>();
  for (const [index, fact] of input.memory.facts.entries()) {
    const text = renderFact(typeof fact === 'string' ? fact : fact.text);
    if (text === '-' || seenFacts.has(text)) continue;
    seenFacts.add(text);
    candidates.push({
      source: { section: 'memory', part: 'fact', index, rank: candidates.length },
      forms: [{ mode: 'full', text, tokens: count(text) + JOIN_TOKENS }],
      headers: [memoryHeader, factsHeader],
    });
  }
  const summary = input.memory.summary?.trim();
  if (summary !== undefined && summary !== '') {
    const text = renderSummary(summary);
    candidates.push({
      source: { section: 'memory', part: 'summary', index: 0, rank: candidates.length },
      forms: [{ mode: 'full', text, tokens: count(text) + JOIN_TOKENS }],
      headers: [memoryHeader],
    });
  }
  const messages = input.memory.messages;
  for (let index = messages.length - 1; index >= 0; index--) {
    const content = messages[index]!.content;
    candidates.push({
      source: { section: 'memory', part: 'message', index, rank: candidates.length },
      forms: [{ mode: 'full', text: content, tokens: count(content) + MESSAGE_OVERHEAD_TOKENS }],
      headers: [],
    });
  }
  return candidates;
}
