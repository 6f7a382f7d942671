import {
  type ChatMessage,
  type ChatModel,
  ConfigurationError,
  type FactExtractor,
  parseOptions,
  throwIfAborted,
} from '@neptune/core';
import { z } from 'zod';
import type { MemoryExtractedFact } from '../session/merge-extraction';
import { normalizeSubject } from './fact-subject';

const modelFactExtractorOptionsShape = {
  /** The chat model that extracts, with one structured call per turn: `openaiChatModel()`, for one. */
  model: z.custom<ChatModel>(
    (value) => typeof (value as ChatModel | undefined)?.generateObject === 'function',
    'must be a ChatModel (an object with a generateObject() method), e.g. openaiChatModel() from @neptune/core/openai',
  ),
  /** Most output tokens for the extraction. Default 1,000. */
  maxOutputTokens: z.number().int().min(1).default(1_000),
};
// Annotated with the shape's type so the declaration output keeps the field comments.
const modelFactExtractorOptionsSchema: z.ZodObject<typeof modelFactExtractorOptionsShape> = z.object(
  modelFactExtractorOptionsShape,
);

/** Options of `modelFactExtractor`: the chat model that extracts, and its output budget. */
export type ModelFactExtractorOptions = z.input<typeof modelFactExtractorOptionsSchema>;

/** The structured answer asked of the model; indexes refer to the numbered lists in the prompt. */
export const extractionSchema = z.object({
  entities: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        type: z
          .string()
          .min(1)
          .max(40)
          .describe('person, organization, place, product, date, amount, email or phone'),
      }),
    )
    .max(50),
  facts: z
    .array(
      z.object({
        text: z.string().min(1).max(500).describe('one short, self-contained statement'),
        subject: z.string().min(1).max(120).describe('what it is about, a short lower-case noun phrase'),
        confidence: z.number().min(0).max(1),
        sources: z
          .array(z.number().int().min(0))
          .max(20)
          .describe('numbers of the new messages it comes from'),
        supersedes: z
          .array(z.number().int().min(0))
          .max(20)
          .describe('numbers of the known facts it replaces'),
      }),
    )
    .max(30),
});

const INSTRUCTIONS = [
  'You update the memory of a conversation between a user and an assistant.',
  'From the new messages, extract the entities (people, organizations, places, products, dates, amounts, emails, phone numbers)',
  'and the facts worth remembering for later turns: decisions, preferences, requirements, figures, dates, roles and contacts.',
  'Each fact is one short statement that makes sense on its own. Give it a short subject; when a fact updates a known fact,',
  'reuse that subject and list the known fact number in supersedes. Do not repeat known facts that did not change.',
  'Ignore greetings, questions and the assistant merely repeating the user. Return empty lists when there is nothing new.',
].join(' ');

/**
 * A `FactExtractor` backed by a chat model: exactly one structured call per turn (`generateObject`,
 * validated by a zod schema, with the model's one repair attempt only if its answer does not parse),
 * given the known facts so that updates supersede them instead of piling up beside them.
 */
export function modelFactExtractor(options: ModelFactExtractorOptions): FactExtractor {
  if (typeof options?.model?.generateObject !== 'function') {
    throw new ConfigurationError({
      message:
        'modelFactExtractor needs `model`: a ChatModel, e.g. openaiChatModel() from @neptune/core/openai.',
    });
  }
  const { model, maxOutputTokens } = parseOptions(
    modelFactExtractorOptionsSchema,
    options,
    'modelFactExtractor options',
  );
  return {
    name: `model:${model.provider}/${model.model}`,
    async extract(messages, callOptions) {
      throwIfAborted(callOptions?.signal, 'Fact extraction');
      const known = callOptions?.knownFacts ?? [];
      const prompt: ChatMessage = {
        role: 'user',
        content: [
          'Known facts:',
          known.length === 0
            ? '(none)'
            : known.map((fact, index) => `[${index}] (${fact.subject}) ${fact.text}`).join('\n'),
          '',
          'New messages:',
          messages.map((message, index) => `[${index}] ${message.role}: ${message.content}`).join('\n'),
        ].join('\n'),
      };
      const { object } = await model.generateObject({
        schema: extractionSchema,
        schemaName: 'memory_extraction',
        messages: [{ role: 'system', content: INSTRUCTIONS }, prompt],
        maxOutputTokens,
        temperature: 0,
        signal: callOptions?.signal,
      });
      return {
        entities: object.entities,
        facts: object.facts.map(
          (fact): MemoryExtractedFact => ({
            text: fact.text,
            subject: normalizeSubject(fact.subject),
            confidence: fact.confidence,
            sourceIndexes: fact.sources.filter((index) => index < messages.length),
            supersedes: fact.supersedes
              .map((index) => known[index]?.subject)
              .filter((subject): subject is string => subject !== undefined),
          }),
        ),
      };
    },
  };
}
