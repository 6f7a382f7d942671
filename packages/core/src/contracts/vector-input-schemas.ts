import { z } from 'zod';
import { recordIdSchema, topKSchema } from './keyword-input-schemas';
import { metadataFilterSchema, metadataSchema } from './metadata';

/** Largest magnitude a 32-bit float holds; anything larger would be stored as Infinity. */
const FLOAT32_MAX = 3.4028234663852886e38;

function isFiniteVector(value: unknown): boolean {
  if (!(value instanceof Float32Array) && !Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index++) {
    const component = value[index];
    if (typeof component !== 'number' || !Number.isFinite(component) || Math.abs(component) > FLOAT32_MAX) {
      return false;
    }
  }
  return true;
}

/** A vector: an array or Float32Array of finite numbers. Its length is checked against the store's dimensions. */
export const vectorSchema = z.custom<Float32Array | readonly number[]>(
  isFiniteVector,
  'vector must be an array or Float32Array of finite numbers (no NaN or Infinity)',
);

/** The records of one `VectorStore.upsert` call: ids, vectors, optional text and metadata. */
export const vectorRecordsSchema = z.array(
  z.object({
    id: recordIdSchema,
    vector: vectorSchema,
    text: z.string({ error: 'text must be a string when given' }).optional(),
    keywordText: z.string({ error: 'keywordText must be a string when given' }).optional(),
    metadata: metadataSchema.optional(),
  }),
  { error: 'pass an array of records like [{ id, vector, text?, metadata? }]' },
);

/** A `VectorQuery`: the vector, how many matches, an optional filter and minimum score. */
export const vectorQuerySchema = z.object({
  vector: vectorSchema,
  topK: topKSchema,
  filter: metadataFilterSchema.optional(),
  minScore: z.number({ error: 'minScore must be a number' }).finite().optional(),
});
