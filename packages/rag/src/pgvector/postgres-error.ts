import type { NeptuneError } from '@neptune/core';
import { mapPostgresError } from '@neptune/core/postgres';

const HINTS = {
  missingSchema:
    'Create the table first: call ensureSchema() once at start-up, or add the migration SQL (migrationSql) to your migrations.',
  refusedValue:
    'Check the ids, text and metadata passed; Postgres text cannot hold the NUL character (\\u0000).',
  // 42704: type "vector" does not exist; 0A000 / 58P01: CREATE EXTENSION found no pgvector to install.
  configuration: (code: string, reason: string) =>
    ['42704', '0A000', '58P01'].includes(code) && /vector/i.test(reason)
      ? 'The pgvector extension is missing: run CREATE EXTENSION vector (Neon, Supabase and most hosts ship it), or use postgresKeywordIndex on a Postgres without pgvector.'
      : undefined,
};

/** A failed query of the chunk stores as a Neptune error; `what` names the operation and the table. */
export function toNeptuneError(error: unknown, what: string): NeptuneError {
  return mapPostgresError(error, what, HINTS);
}
