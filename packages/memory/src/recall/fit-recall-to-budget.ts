import type { Tokenizer } from '@neptune/core';
import type { StoredMessage } from '../conversations/conversation-store';
import type { MemoryFact } from '../session/session-memory';
import { FACTS_HEADING, SUMMARY_HEADING } from './recall-result';

/** Tokens a chat message costs beyond its text (role and separators), as OpenAI's chat format counts. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export interface RecallShares {
  /** Most of the budget facts may take before the window is filled. Default 0.3. */
  readonly facts: number;
  /** Most of the budget the summary may take; a longer summary is cut. Default 0.25. */
  readonly summary: number;
}

export interface FitInput {
  readonly tokenizer: Tokenizer;
  readonly maxTokens: number;
  /** Unsummarised messages, newest first. */
  readonly window: readonly StoredMessage[];
  readonly summary: string;
  /** Current facts, newest first. */
  readonly facts: readonly MemoryFact[];
  readonly shares: RecallShares;
}

export interface FitOutput {
  readonly messages: StoredMessage[];
  readonly summary: string | undefined;
  readonly facts: MemoryFact[];
  readonly tokens: { messages: number; summary: number; facts: number; total: number };
}

/**
 * Chooses what of a conversation's memory fits `maxTokens`, in this order: the latest message (the
 * question being answered), facts up to their share (they are what follow-up questions need and cost
 * least), the summary up to its share, then older messages newest first, then any facts left.
 */
export function fitRecallToBudget(input: FitInput): FitOutput {
  const { tokenizer, maxTokens, window } = input;
  let used = 0;
  const fits = (tokens: number) => used + tokens <= maxTokens;
  const messageCost = (message: StoredMessage) => tokenizer.count(message.content) + MESSAGE_OVERHEAD_TOKENS;
  const factCost = (fact: MemoryFact) => tokenizer.count(`- ${fact.text}\n`);
  // The system message that carries summary and facts: one overhead, headings counted once each.
  const preambleCost = MESSAGE_OVERHEAD_TOKENS;
  const factsHeadingCost = tokenizer.count(`${FACTS_HEADING}\n`) + 1;
  const summaryHeadingCost = tokenizer.count(`${SUMMARY_HEADING}\n`) + 1;

  const messages: StoredMessage[] = [];
  const facts: MemoryFact[] = [];
  const tokens = { messages: 0, summary: 0, facts: 0 };
  let preambleStarted = false;
  const startPreamble = (extra: number) => {
    const cost = extra + (preambleStarted ? 0 : preambleCost);
    if (!fits(cost)) return false;
    used += cost;
    preambleStarted = true;
    return true;
  };

  const latest = window[0];
  if (latest && fits(messageCost(latest))) {
    messages.push(latest);
    used += messageCost(latest);
    tokens.messages += messageCost(latest);
  }

  const addFacts = (limit: number) => {
    for (const fact of input.facts) {
      if (facts.includes(fact)) continue;
      const cost = factCost(fact);
      if (tokens.facts + cost > limit || !fits(cost)) continue;
      if (facts.length === 0 && !startPreamble(factsHeadingCost)) return;
      if (!fits(cost)) return;
      facts.push(fact);
      used += cost;
      tokens.facts += cost;
    }
  };
  addFacts(Math.floor(maxTokens * input.shares.facts));

  let summary: string | undefined;
  if (input.summary !== '' && startPreamble(summaryHeadingCost)) {
    const allowance = Math.min(Math.floor(maxTokens * input.shares.summary), maxTokens - used);
    const cut = allowance > 0 ? tokenizer.truncate(input.summary, allowance) : '';
    if (cut !== '') {
      summary = cut;
      tokens.summary = tokenizer.count(cut);
      used += tokens.summary;
    } else {
      used -= summaryHeadingCost;
    }
  }

  for (const message of window.slice(1)) {
    const cost = messageCost(message);
    if (!fits(cost)) break;
    messages.push(message);
    used += cost;
    tokens.messages += cost;
  }
  addFacts(Number.POSITIVE_INFINITY);

  return {
    messages: messages.reverse(),
    summary,
    facts,
    tokens: { ...tokens, total: used },
  };
}
