import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { z } from 'zod';
import { jsonSchemaOf } from '../chat/structured-output';

/**
 * `json-schema` sends the schema in `response_format`, so the model is steered by it natively;
 * `json-object` only asks for some JSON, for compatible endpoints without schema support (the schema then
 * goes into the prompt).
 */
export type StructuredOutputMode = 'json-schema' | 'json-object';

/** OpenAI requires names of 1 to 64 letters, digits, `_` or `-`. */
function schemaNameFor(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
  return cleaned === '' || cleaned === '_' ? 'response' : cleaned;
}

export function structuredResponseFormat(
  schema: z.ZodType,
  schemaName: string | undefined,
  mode: StructuredOutputMode,
): ResponseFormatJSONSchema | ResponseFormatJSONObject {
  if (mode === 'json-object') return { type: 'json_object' };
  // `$schema` names the JSON Schema draft; OpenAI's subset does not use it.
  const { $schema: _draft, ...jsonSchema } = jsonSchemaOf(schema);
  return {
    type: 'json_schema',
    // Not strict: strict mode rejects common zod output (optional fields, open records), and every answer
    // is validated by zod with a repair attempt anyway.
    json_schema: { name: schemaNameFor(schemaName), schema: jsonSchema, strict: false },
  };
}
