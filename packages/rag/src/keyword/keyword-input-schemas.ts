import { metadataFilterSchema, metadataSchema } from '@neptune/core';
import { z } from 'zod';

/** Record ids: any non-blank string. Ids are compared exactly; they never leave their scope's partition. */
export const recordIdSchema = z
  .string({ error: 'ids must be strings' })
  .refine((id) => id.trim() !== '', 'ids must not be empty or blank');

export const recordIdsSchema = z.array(recordIdSchema, { error: 'pass an array of ids' });

/** How many matches to return: a positive whole number. */
export const topKSchema = z
  .number({ error: 'topK must be a number' })
  .int('topK must be a whole number')
  .positive('topK must be at least 1');

export const keywordDocumentSchema = z.object({
  id: recordIdSchema,
  text: z.string({ error: 'text must be a string' }),
  metadata: metadataSchema.optional(),
});

export const keywordDocumentsSchema = z.array(keywordDocumentSchema, {
  error: 'pass an array of documents like [{ id, text, metadata? }]',
});

export const keywordQuerySchema = z.object({
  query: z.string({ error: 'query must be a string' }),
  topK: topKSchema,
  filter: metadataFilterSchema.optional(),
});

export type ParsedKeywordDocument = z.output<typeof keywordDocumentSchema>;
