import {
  type ChatModel,
  MAX_QUERY_LENGTH,
  parseInput,
  parseOptions,
  type Scope,
  sha256Hex,
} from '@neptune/core';
import { ENGLISH_FUNCTION_WORDS } from '@neptune/rag';
import { z } from 'zod';

/** A turn of the conversation so far, oldest first (`recall()`'s messages fit as they are). */
export interface ConversationTurn {
  readonly role: 'user' | 'assistant' | 'system';
  readonly content: string;
}

/**
 * Turns a question that leans on the conversation ("And how long does that take?") into one that
 * stands alone, for retrieval. Returns the question unchanged when it already stands alone.
 */
export interface QuestionRewriter {
  readonly name: string;
  rewrite(
    question: string,
    history: readonly ConversationTurn[],
    options: {
      readonly scope: Scope;
      readonly signal?: AbortSignal | undefined;
      readonly requestId?: string;
    },
  ): Promise<string>;
}

const FUNCTION_WORDS = new Set(ENGLISH_FUNCTION_WORDS);
/** Words that point back into the conversation. */
// biome-ignore format: a word list reads better packed
const REFERRING_WORDS = new Set([
  'it', 'its', 'itself', 'that', 'this', 'these', 'those', 'they', 'them', 'their', 'there', 'he', 'she',
  'him', 'her', 'his', 'one', 'ones', 'same', 'else', 'again', 'former', 'latter', 'then', 'others',
]);
/** "Is there", "there are": existential, not a place the conversation named. */
const EXISTENTIAL_THERE = /\b(is|are|was|were|be)\s+there\b|\bthere\s+(is|are|was|were|be)\b/g;
/** Openings that continue the previous question: "and ...", "what about ...". */
const CONTINUING_OPENINGS = /^(and|also|but|so|or|then|plus|what about|how about|same for|what if|and if)\b/;

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
const contentWords = (text: string) =>
  words(text).filter((word) => !FUNCTION_WORDS.has(word) && !REFERRING_WORDS.has(word) && word.length > 1);

/**
 * Whether a question may need the conversation to be understood: it opens by continuing ("and", "what
 * about"), points back ("it", "that", "then"), or has few words of its own. Cheap, and biased towards
 * yes: a question wrongly taken for a follow-up only waits for the recall and carries a few words of the
 * previous question, which the test set shows costs standalone questions nothing at hit@3.
 */
export function dependsOnConversation(question: string): boolean {
  const lower = parseInput(questionSchema, question, 'question').trim().toLowerCase();
  if (CONTINUING_OPENINGS.test(lower)) return true;
  if (words(lower.replace(EXISTENTIAL_THERE, ' ')).some((word) => REFERRING_WORDS.has(word))) return true;
  // Few words of its own, or a definite "the" before only two or three ("when does the link expire?").
  const own = contentWords(lower).length;
  return own <= 2 || (own <= 3 && /\bthe\b/.test(lower));
}

/** The user's previous questions, newest first. */
function previousQuestions(history: readonly ConversationTurn[]): string[] {
  return history
    .filter((turn) => turn.role === 'user')
    .map((turn) => turn.content)
    .reverse();
}

/**
 * The offline rewriter: the question plus the content words of the user's previous question (the one it
 * follows up), so that the keyword and vector legs search the subject the user is still talking about.
 * "And how long does that take?" after "How do refunds work?" searches "And how long does that take?
 * refunds work". No model, no network; measured in `test/follow-up.test.ts`.
 */
export function heuristicRewriter(): QuestionRewriter {
  return {
    name: 'heuristic',
    async rewrite(question, history) {
      if (!dependsOnConversation(question)) return question;
      const [previous] = previousQuestions(history);
      if (previous === undefined) return question;
      const own = new Set(contentWords(question));
      const carried = [...new Set(contentWords(previous))].filter((word) => !own.has(word));
      return carried.length === 0 ? question : `${question} ${carried.join(' ')}`;
    },
  };
}

const questionSchema = z.string({ error: 'the question must be a string' }).max(MAX_QUERY_LENGTH);

const modelRewriterOptionsShape = {
  /** The model that rewrites a follow-up into a standalone question. */
  model: z.custom<ChatModel>(
    (value) => typeof (value as ChatModel | undefined)?.generate === 'function',
    'must be a ChatModel',
  ),
  /** Rewrites kept in process memory, per user and conversation text. Default 500. */
  cacheSize: z.number().int().min(1).max(1_000_000).default(500),
  /** How long a kept rewrite lives. Default 10 minutes. */
  cacheTtlMs: z
    .number()
    .int()
    .min(1)
    .default(10 * 60 * 1000),
  /** The turns shown to the model, newest last. Default 6. */
  turns: z.number().int().min(1).max(100).default(6),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const modelRewriterOptionsSchema: z.ZodObject<typeof modelRewriterOptionsShape> =
  z.object(modelRewriterOptionsShape);

/** What `modelRewriter` takes: the model that rewrites follow-ups, and how long rewrites are kept. */
export type ModelRewriterOptions = z.input<typeof modelRewriterOptionsSchema>;

const REWRITE_INSTRUCTIONS =
  'Rewrite the last question of the conversation as one standalone question that can be understood without the conversation. Keep its meaning and language; name the subject it refers to. Answer with the question only.';

/**
 * The model rewriter: one short call (at most 80 output tokens, temperature 0) for questions that depend
 * on the conversation, skipped for those that stand alone. Rewrites are cached in process memory only,
 * keyed by the user's scope and a hash of the turns shown, so the user's words are never written to a
 * shared store. A failed or empty answer falls back to the heuristic rewrite.
 */
export function modelRewriter(options: ModelRewriterOptions): QuestionRewriter {
  const {
    cacheSize,
    cacheTtlMs: ttlMs,
    turns,
  } = parseOptions(modelRewriterOptionsSchema, options, 'modelRewriter options');
  const cache = new Map<string, { value: string; expiresAt: number }>();
  const fallback = heuristicRewriter();
  return {
    name: `model:${options.model.provider}/${options.model.model}`,
    async rewrite(question, history, callOptions) {
      if (!dependsOnConversation(question) || !history.some((turn) => turn.role === 'user')) return question;
      const shown = history.filter((turn) => turn.role !== 'system').slice(-turns);
      const transcript = shown
        .map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content.slice(0, 1_000)}`)
        .join('\n');
      const { workspaceId, userId = '' } = callOptions.scope;
      const key = await sha256Hex(JSON.stringify([workspaceId, userId, transcript, question]));
      const hit = cache.get(key);
      if (hit && hit.expiresAt > Date.now()) return hit.value;
      const result = await options.model.generate({
        messages: [
          { role: 'system', content: REWRITE_INSTRUCTIONS },
          { role: 'user', content: `${transcript}\n\nLast question: ${question}\n\nStandalone question:` },
        ],
        maxOutputTokens: 80,
        temperature: 0,
        signal: callOptions.signal,
        scope: callOptions.scope,
        requestId: callOptions.requestId,
      });
      const rewritten = result.text
        .trim()
        .replace(/^["']|["']$/g, '')
        .split('\n')[0]!
        .trim();
      const value =
        rewritten === '' || rewritten.length > 1_000
          ? await fallback.rewrite(question, history, callOptions)
          : rewritten;
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      cache.set(key, { value, expiresAt: Date.now() + ttlMs });
      return value;
    },
  };
}
