import { parseInput, type Summarizer, type Tokenizer, throwIfAborted } from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { z } from 'zod';
import { findEntities } from '../extraction/find-entities';
import { findFacts } from '../extraction/find-facts';
import { splitSentences } from '../extraction/split-sentences';
import { summarizerTexts } from './summarizer-input';

/** Options of `extractiveSummarizer`. */
export interface ExtractiveSummarizerOptions {
  /** Counts tokens for the budget. Default: `o200k_base` (GPT-4o family), loaded on first use. */
  readonly tokenizer?: Tokenizer | undefined;
}

interface Candidate {
  readonly text: string;
  readonly order: number;
  readonly score: number;
}

const VALUE_TYPES = new Set([
  'amount',
  'date',
  'email',
  'phone',
  'person',
  'organization',
  'place',
  'product',
]);
const PLEASANTRY =
  /^(?:ok|okay|thanks|thank you|great|sure|got it|noted|nice|cool|sounds good|will do|you are welcome)\b/i;

/**
 * How much a sentence is worth keeping: concrete values (names, amounts, dates, contacts), a statement
 * the fact patterns recognise, and length up to a point; questions, pleasantries and the assistant's
 * restatements score lower. Sentences of the previous summary get a bonus, so the rolling summary
 * changes gradually instead of being rewritten from the latest turns.
 */
function scoreSentence(text: string, role: string | undefined, fromPrevious: boolean): number {
  const entities = findEntities(text).filter((entity) => VALUE_TYPES.has(entity.type)).length;
  const facts = findFacts(text, findEntities).length;
  const words = text.split(/\s+/).length;
  let score = 1.5 * entities + 2 * facts + Math.min(words, 25) / 25;
  if (text.endsWith('?')) score -= 1.5;
  if (PLEASANTRY.test(text) && words < 6) score -= 2;
  if (role === 'assistant') score *= 0.6;
  if (fromPrevious) score += 1;
  return score;
}

/**
 * The offline `Summarizer`: picks the most informative sentences within the token budget and keeps
 * them in their original order, previous summary first. No model call; deterministic.
 */
export function extractiveSummarizer(options: ExtractiveSummarizerOptions = {}): Summarizer {
  let tokenizer: Promise<Tokenizer> | undefined = options.tokenizer
    ? Promise.resolve(options.tokenizer)
    : undefined;
  return {
    name: 'extractive',
    async summarize(input, callOptions) {
      const maxTokens = parseInput(z.number().int().min(1), callOptions?.maxTokens, 'maxTokens');
      throwIfAborted(callOptions.signal, 'Summarization');
      tokenizer ??= createTokenizer({ encoding: 'o200k_base' });
      const counter = await tokenizer;
      const candidates: Candidate[] = [];
      let order = 0;
      for (const sentence of splitSentences(callOptions.previousSummary ?? '')) {
        candidates.push({ text: sentence, order: order++, score: scoreSentence(sentence, undefined, true) });
      }
      for (const { role, text } of summarizerTexts(input)) {
        for (const sentence of splitSentences(text)) {
          const labelled = role === 'assistant' ? `Assistant: ${sentence}` : sentence;
          candidates.push({ text: labelled, order: order++, score: scoreSentence(sentence, role, false) });
        }
      }
      const chosen: Candidate[] = [];
      let used = 0;
      for (const candidate of [...candidates].sort((a, b) => b.score - a.score || a.order - b.order)) {
        if (candidate.score <= 0) break;
        if (chosen.some((other) => other.text === candidate.text)) continue;
        const cost = counter.count(`${candidate.text}\n`);
        if (used + cost > maxTokens) continue;
        chosen.push(candidate);
        used += cost;
      }
      return chosen
        .sort((a, b) => a.order - b.order)
        .map((candidate) => candidate.text)
        .join('\n');
    },
  };
}
