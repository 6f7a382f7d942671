import type { z } from 'zod';
import { sleep, throwIfAborted } from '../async';
import type {
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  StructuredRequest,
  StructuredResult,
  TokenUsage,
} from '../contracts/chat-model';
import { ConfigurationError, ValidationError } from '../errors';
import { emitModelCall } from '../telemetry/model-call-events';
import { defaultTelemetry, type TelemetryChannel } from '../telemetry/telemetry-channel';
import { estimateTokens } from '../text/estimate-tokens';
import { truncateByCounting } from '../text/truncate-by-counting';
import { analyzeWords } from './text-features';

/** Options of `extractiveChatModel`. */
export interface ExtractiveChatModelOptions {
  /** Most sentences quoted in one answer. Default 3. */
  readonly maxSentences?: number | undefined;
  /** A sentence is quoted only if it scores at least this share of the best sentence. Default 0.5. */
  readonly minRelativeScore?: number | undefined;
  /** The line the answer starts with, so nobody mistakes it for a model's. `''` for none. */
  readonly preamble?: string | undefined;
  /** What is said when no passage shares a word with the question. */
  readonly noAnswer?: string | undefined;
  /** Words per streamed delta. Default 3. */
  readonly wordsPerDelta?: number | undefined;
  /** A pause between streamed deltas, to show streaming in a demo. Default 0. */
  readonly deltaDelayMs?: number | undefined;
  /** Where `model-call` events go (provider `offline`, estimated tokens). Defaults to `defaultTelemetry()`. */
  readonly telemetry?: TelemetryChannel | undefined;
}

/** A numbered source in the prompt: `[n] Title — source` on its own line, then its text. */
export interface ExtractivePassage {
  readonly marker: number;
  readonly label: string;
  readonly text: string;
}

const DEFAULT_PREAMBLE = 'Extractive answer (quoted from the sources; no language model was used):';
const DEFAULT_NO_ANSWER =
  'I could not find an answer to that in the sources I was given. Try rephrasing, or add documents that cover it.';

const MARKER_LINE = /^\[(\d{1,4})\](?:[ \t]+(.*))?$/;
/** The section headings `assembleContext` writes after its knowledge section. */
const DEFAULT_SECTION_HEADINGS = ['## App context', '## Knowledge', '## Conversation memory'];

/**
 * The numbered passages in a system message, as `@neptune/context`'s `assembleContext` writes them (and as
 * most RAG prompts do): a line `[n] Title`, then the passage's text, up to the next such line or the next
 * section heading (`## Conversation memory`, ...). Other headings are part of the passage: a markdown
 * chunk starts with its own `# Title`.
 */
export function parseNumberedPassages(
  text: string,
  sectionHeadings: readonly string[] = DEFAULT_SECTION_HEADINGS,
): ExtractivePassage[] {
  const passages: ExtractivePassage[] = [];
  let current: { marker: number; label: string; lines: string[] } | undefined;
  const close = () => {
    if (current === undefined) return;
    const body = current.lines.join('\n').trim();
    if (body !== '') passages.push({ marker: current.marker, label: current.label, text: body });
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const marker = MARKER_LINE.exec(line.trim());
    if (marker !== null) {
      close();
      current = { marker: Number(marker[1]), label: (marker[2] ?? '').trim(), lines: [] };
    } else if (sectionHeadings.some((heading) => line.startsWith(heading))) {
      close();
    } else if (current !== undefined) {
      current.lines.push(line);
    }
  }
  close();
  return passages;
}

interface Sentence {
  readonly marker: number;
  readonly position: number;
  readonly text: string;
  readonly terms: ReadonlySet<string>;
  /** The words of the heading the sentence sits under: they say what it is about. */
  readonly headingTerms: ReadonlySet<string>;
  readonly length: number;
}

const HEADING_LINE = /^#{1,6}(?:[ \t]|$)/;
const SETEXT_UNDERLINE = /^(?:=+|-+)$/;
/** A line that starts a block of its own: a list item, a quote, a table row or a code fence. */
const BLOCK_START = /^(?:[-*+][ \t]|\d{1,3}[.)][ \t]|>|\||```|~~~)/;

/**
 * The paragraphs of a passage with hard-wrapped lines joined, and without headings: a heading names what
 * follows, it never answers anything. A blank line ends a paragraph; a list item, quote or table row
 * starts a new one.
 */
function paragraphs(text: string): Array<{ readonly text: string; readonly heading: string }> {
  const blocks: Array<{ text: string; heading: string }> = [];
  let lines: string[] = [];
  let heading = '';
  const flush = () => {
    if (lines.length > 0) blocks.push({ text: lines.join(' '), heading });
    lines = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') flush();
    else if (HEADING_LINE.test(line)) {
      flush();
      heading = line.replace(/^#+/, '');
    } else if (SETEXT_UNDERLINE.test(line) && lines.length === 1) {
      heading = lines[0]!;
      lines = [];
    } else {
      if (BLOCK_START.test(line)) flush();
      lines.push(line);
    }
  }
  flush();
  return blocks;
}

/** Sentences of a passage: its paragraphs, split after `.`, `!` or `?` before a capital or digit. */
function splitSentences(text: string): Array<{ readonly text: string; readonly heading: string }> {
  return paragraphs(text)
    .flatMap(({ text: paragraph, heading }) =>
      paragraph
        .split(/(?<=[.!?])\s+(?=["'(\p{Lu}\p{N}])/u)
        .map((sentence) => ({ text: sentence.replace(/\s+/g, ' ').trim(), heading })),
    )
    .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence.text));
}

/** Words too common in questions to say what a sentence is about ("how do I get ...", "what happens ..."). */
const QUESTION_NOISE = new Set(
  'get got make made do done use used need want happen send sent set work way thing know tell help please like also just'.split(
    ' ',
  ),
);

/** Analysed words, with question noise dropped and a doubled final consonant undone (cancell → cancel). */
function answerTerms(text: string): string[] {
  return analyzeWords(text)
    .filter((word) => !QUESTION_NOISE.has(word))
    .map((word) => (/([b-df-hj-np-tv-z])\1$/.test(word) && word.length > 4 ? word.slice(0, -1) : word));
}

/** `refund` meets `refunds`, `refunded`; short words must match exactly. */
function termMatches(queryTerm: string, sentenceTerms: ReadonlySet<string>): boolean {
  if (sentenceTerms.has(queryTerm)) return true;
  if (queryTerm.length < 5) return false;
  for (const term of sentenceTerms) {
    if (term.length >= 5 && (term.startsWith(queryTerm) || queryTerm.startsWith(term))) return true;
  }
  return false;
}

/**
 * Picks the sentences that answer the question best: BM25-style weights over the sentences of all
 * passages (rare question words count most, long sentences a little less), a strong preference for the
 * passages retrieval ranked first (and for passages whose title matches the question), and no two
 * sentences that say the same thing. Sentences after the first must come from the best sentence's passage
 * or the next one, and score at least `minRelativeScore` of the best.
 */
export function selectAnswerSentences(
  question: string,
  passages: readonly ExtractivePassage[],
  options: { maxSentences?: number | undefined; minRelativeScore?: number | undefined } = {},
): Array<{ readonly marker: number; readonly text: string; readonly score: number }> {
  const queryTerms = [...new Set(answerTerms(question))];
  if (queryTerms.length === 0) return [];
  const sentences: Sentence[] = [];
  for (const passage of passages) {
    splitSentences(passage.text).forEach(({ text, heading }, position) => {
      const words = answerTerms(text);
      sentences.push({
        marker: passage.marker,
        position,
        text,
        terms: new Set(words),
        headingTerms: new Set(answerTerms(heading)),
        length: words.length,
      });
    });
  }
  if (sentences.length === 0) return [];
  const matches = sentences.map((sentence) => queryTerms.filter((term) => termMatches(term, sentence.terms)));
  const documentFrequency = new Map<string, number>();
  for (const matched of matches)
    for (const term of matched) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const averageLength = sentences.reduce((sum, sentence) => sum + sentence.length, 0) / sentences.length || 1;
  // Each passage's rank by marker: [1] is retrieval's best.
  const rankOf = new Map(
    [...new Set(passages.map((passage) => passage.marker))]
      .sort((a, b) => a - b)
      .map((marker, rank) => [marker, rank]),
  );
  const rank = (sentence: Sentence) => rankOf.get(sentence.marker)!;
  const titleBoost = new Map(
    passages.map((passage) => {
      const title = new Set(answerTerms(passage.label));
      return [passage.marker, queryTerms.some((term) => termMatches(term, title)) ? 1.25 : 1] as const;
    }),
  );
  const scored = sentences.map((sentence, index) => {
    let score = 0;
    for (const term of matches[index]!) {
      const frequency = documentFrequency.get(term)!;
      const idf = Math.log(1 + (sentences.length - frequency + 0.5) / (frequency + 0.5));
      score += (idf * 2.2) / (1 + 1.2 * (0.25 + (0.75 * sentence.length) / averageLength));
    }
    // A question word in the sentence's heading counts half: "Invite your team" answers "how do I invite".
    for (const term of queryTerms) {
      if (matches[index]!.includes(term) || !termMatches(term, sentence.headingTerms)) continue;
      const frequency = documentFrequency.get(term) ?? 0;
      score += 0.5 * Math.log(1 + (sentences.length - frequency + 0.5) / (frequency + 0.5));
    }
    return { sentence, score: (score * titleBoost.get(sentence.marker)!) / (1 + 0.5 * rank(sentence)) };
  });
  const ranked = scored.filter((entry) => entry.score > 0).sort((a, b) => b.score - a.score);
  const best = ranked[0];
  if (best === undefined) return [];
  const maxSentences = options.maxSentences ?? 3;
  const floor = best.score * (options.minRelativeScore ?? 0.5);
  const bestRank = rank(best.sentence);
  const chosen: typeof ranked = [best];
  for (const entry of ranked.slice(1)) {
    if (chosen.length >= maxSentences || entry.score < floor) break;
    if (rank(entry.sentence) > bestRank + 1) continue;
    if (chosen.some((other) => overlap(other.sentence.terms, entry.sentence.terms) > 0.8)) continue;
    chosen.push(entry);
  }
  // Read in source order: by passage rank, then by position inside the passage.
  chosen.sort((a, b) => rank(a.sentence) - rank(b.sentence) || a.sentence.position - b.sentence.position);
  return chosen.map(({ sentence, score }) => ({ marker: sentence.marker, text: sentence.text, score }));
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / Math.min(a.size, b.size);
}

function lastUserMessage(messages: readonly ChatMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.role === 'user') return messages[index]!.content;
  }
  throw new ValidationError({
    message:
      'extractiveChatModel needs a user message to answer: pass messages ending with { role: "user", content: question }.',
  });
}

/**
 * A `ChatModel` that needs no key and no network: it answers the last user message by quoting the
 * sentences of the numbered passages (`[n] Title` blocks in the system message, as `assembleContext`
 * writes them) that match it best, each followed by its `[n]` citation, and says that it is extractive.
 * Deterministic, so demos and tests give the same answer every time. It cannot follow instructions or
 * produce structured output; `generateObject` throws a `ConfigurationError` that says what to use instead.
 */
export function extractiveChatModel(options: ExtractiveChatModelOptions = {}): ChatModel {
  const preamble = options.preamble ?? DEFAULT_PREAMBLE;
  const noAnswer = options.noAnswer ?? DEFAULT_NO_ANSWER;
  const wordsPerDelta = Math.max(1, Math.floor(options.wordsPerDelta ?? 3));
  const delayMs = Math.max(0, options.deltaDelayMs ?? 0);
  const telemetry = options.telemetry ?? defaultTelemetry();
  const report = (
    request: ChatRequest,
    result: ChatResult,
    operation: 'chat' | 'stream',
    startedAt: number,
    timeToFirstTokenMs?: number,
  ) =>
    emitModelCall(telemetry, {
      scope: request.scope,
      requestId: request.requestId,
      provider: 'offline',
      model: 'extractive',
      operation,
      usage: result.usage,
      durationMs: performance.now() - startedAt,
      timeToFirstTokenMs,
      finishReason: result.finishReason,
      retries: 0,
    });

  function answer(request: ChatRequest): ChatResult {
    throwIfAborted(request.signal, 'The extractive answer');
    const question = lastUserMessage(request.messages);
    const passages = request.messages
      .filter((message) => message.role === 'system')
      .flatMap((message) => parseNumberedPassages(message.content));
    const sentences = selectAnswerSentences(question, passages, options);
    let body: string;
    if (sentences.length === 0) {
      body = noAnswer;
    } else {
      const parts: string[] = [];
      sentences.forEach((sentence, index) => {
        const next = sentences[index + 1];
        // One marker after a run of sentences from the same passage.
        parts.push(
          next?.marker === sentence.marker ? sentence.text : `${sentence.text} [${sentence.marker}]`,
        );
      });
      body = parts.join(' ');
    }
    const text = preamble === '' ? body : `${preamble}\n\n${body}`;
    const input = request.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    let outputText = text;
    let finishReason: ChatResult['finishReason'] = 'stop';
    if (request.maxOutputTokens !== undefined && estimateTokens(text) > request.maxOutputTokens) {
      outputText = truncateByCounting(text, request.maxOutputTokens, estimateTokens);
      finishReason = 'length';
    }
    const usage: TokenUsage = { inputTokens: input, outputTokens: estimateTokens(outputText) };
    return { text: outputText, usage, finishReason };
  }

  return {
    provider: 'offline',
    model: 'extractive',
    async generate(request) {
      const startedAt = performance.now();
      const result = answer(request);
      report(request, result, 'chat', startedAt);
      return result;
    },
    async *stream(request): AsyncIterable<ChatStreamPart> {
      const startedAt = performance.now();
      const result = answer(request);
      const firstTokenMs = performance.now() - startedAt;
      const pieces = result.text.match(/\S+\s*/g) ?? [];
      for (let index = 0; index < pieces.length; index += wordsPerDelta) {
        if (delayMs > 0 && index > 0) await sleep(delayMs, request.signal);
        throwIfAborted(request.signal, 'The extractive answer');
        yield { type: 'text-delta', text: pieces.slice(index, index + wordsPerDelta).join('') };
      }
      report(request, result, 'stream', startedAt, firstTokenMs);
      yield { type: 'finish', usage: result.usage, finishReason: result.finishReason };
    },
    async generateObject<Schema extends z.ZodType>(
      _request: StructuredRequest<Schema>,
    ): Promise<StructuredResult<z.output<Schema>>> {
      throw new ConfigurationError({
        message:
          'extractiveChatModel cannot produce structured output: it only quotes sources. Use the offline extractors and summarizers (for example @neptune/memory offlineExtractor) or a real model such as openaiChatModel() from @neptune/core/openai.',
      });
    },
  };
}
