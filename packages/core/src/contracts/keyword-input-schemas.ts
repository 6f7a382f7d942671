import { z } from 'zod';
import { metadataFilterSchema, metadataSchema } from './metadata';

/** Record ids: any non-blank string. Ids are compared exactly; they never leave their scope's partition. */
export const recordIdSchema = z
  .string({ error: 'ids must be strings' })
  .refine((id) => id.trim() !== '', 'ids must not be empty or blank');

/** A list of record ids, as `remove(scope, ids)` takes them. */
export const recordIdsSchema = z.array(recordIdSchema, { error: 'pass an array of ids' });

/** How many matches to return: a positive whole number. */
export const topKSchema = z
  .number({ error: 'topK must be a number' })
  .int('topK must be a whole number')
  .positive('topK must be at least 1');

/** One `KeywordDocument` as `KeywordIndex.add` takes it: a non-blank id, its text, optional metadata. */
export const keywordDocumentSchema = z.object({
  id: recordIdSchema,
  text: z.string({ error: 'text must be a string' }),
  metadata: metadataSchema.optional(),
});

/** The documents of one `KeywordIndex.add` call. */
export const keywordDocumentsSchema = z.array(keywordDocumentSchema, {
  error: 'pass an array of documents like [{ id, text, metadata? }]',
});

/** A `KeywordQuery`: the text, how many matches, and an optional metadata filter. */
export const keywordQuerySchema = z.object({
  query: z.string({ error: 'query must be a string' }),
  topK: topKSchema,
  filter: metadataFilterSchema.optional(),
});
