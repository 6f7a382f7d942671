import {
  type ChatMessage,
  defaultTelemetry,
  parseInput,
  parseOptions,
  type QueryExpander,
  throwIfAborted,
} from '@neptune/core';
import { z } from 'zod';
import { distinctQueries } from './distinct-queries';
import { reportStrategyFailure } from './report-strategy-failure';
import { abortSignalSchema, chatModelSchema, telemetrySchema } from './strategy-option-schemas';

const modelQueryExpanderOptionsSchema = z.object({
  model: chatModelSchema,
  /**
   * Ask for one variation written as a short passage that would answer the query (HyDE): it shares
   * vocabulary with the documents rather than with the question. Default true.
   */
  hypotheticalAnswer: z.boolean().default(true),
  /** Some randomness makes the variations differ from each other. Default 0.7. */
  temperature: z.number().min(0).max(2).default(0.7),
  telemetry: telemetrySchema.optional(),
});

/** Options of `modelQueryExpander`. */
export type ModelQueryExpanderOptions = z.input<typeof modelQueryExpanderOptionsSchema>;

const expandInputSchema = z.object({
  query: z.string().refine((query) => query.trim() !== '', 'the query is empty: pass the question to expand'),
  count: z.number().int().min(0).max(20),
  signal: abortSignalSchema.optional(),
});

/** What the model must answer; lenient on length so that one extra query is trimmed, not a failure. */
const generatedQueriesSchema = z.object({
  queries: z.array(z.string()).describe('The alternative search queries, most useful first'),
});

/** Room for each variation (a hypothetical answer runs to two sentences) plus the JSON around them. */
const OUTPUT_TOKENS_PER_QUERY = 100;

function expansionMessages(query: string, count: number, hypotheticalAnswer: boolean): ChatMessage[] {
  const styles = [
    'use synonyms and related terms a document might use instead of the query words',
    'spell out abbreviations and acronyms, and abbreviate terms that are commonly abbreviated',
    'rephrase the question as a statement, or narrow or broaden it slightly',
    ...(hypotheticalAnswer && count > 1
      ? [
          'make one of them a short passage (at most two sentences) that would answer the query, as a document would state it',
        ]
      : []),
  ];
  return [
    {
      role: 'system',
      content: [
        'You rewrite search queries so that a search engine over a document collection finds more of the relevant documents.',
        `Write ${count} alternative ${count === 1 ? 'query' : 'queries'} for the user's query. Make them different from the query and from each other:`,
        ...styles.map((style) => `- ${style};`),
        'Keep the meaning and the language of the original. Do not repeat the original query. Do not number the queries.',
      ].join('\n'),
    },
    { role: 'user', content: `Query: ${query}` },
  ];
}

/**
 * Query expansion by a chat model, in one structured call: `count` diverse rewrites (synonyms, expanded
 * abbreviations, a hypothetical answer), cleaned, deduplicated without regard to case or spacing, and
 * never including the original, which the retriever searches anyway. A failing model (an error, or an
 * answer that still misses the schema after the repair attempt) must not fail retrieval: the expander
 * returns no variations and emits an `error` event; only the caller's abort is rethrown.
 */
export function modelQueryExpander(options: ModelQueryExpanderOptions): QueryExpander {
  const settings = parseOptions(modelQueryExpanderOptionsSchema, options, 'modelQueryExpander options');
  const telemetry = settings.telemetry ?? defaultTelemetry();
  const name = `model-query-expander:${settings.model.provider}/${settings.model.model}`;

  return {
    name,
    async expand(query, callOptions) {
      const input = parseInput(
        expandInputSchema,
        { query, count: callOptions?.count, signal: callOptions?.signal },
        'modelQueryExpander.expand() arguments',
      );
      throwIfAborted(input.signal, 'Query expansion');
      if (input.count === 0) return [];
      try {
        const { object } = await settings.model.generateObject({
          messages: expansionMessages(input.query, input.count, settings.hypotheticalAnswer),
          schema: generatedQueriesSchema,
          schemaName: 'search_queries',
          temperature: settings.temperature,
          maxOutputTokens: OUTPUT_TOKENS_PER_QUERY * input.count + 50,
          signal: input.signal,
        });
        return distinctQueries(input.query, object.queries).slice(0, input.count);
      } catch (error) {
        reportStrategyFailure({
          error,
          strategy: 'Query expansion',
          fallback: 'retrieval continues with the original query only',
          telemetry,
          signal: input.signal,
          scope: callOptions?.scope,
        });
        return [];
      }
    },
  };
}
