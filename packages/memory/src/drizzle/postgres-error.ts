import type { NeptuneError } from '@neptune/core';
import { mapPostgresError } from '@neptune/core/postgres';

const HINTS = {
  missingSchema:
    'The memory tables are missing or out of date: call migrate(db) from @neptune/memory/drizzle once at deploy or start-up.',
  refusedValue: 'Check the ids, text and dates passed.',
};

/** A failed query of the memory stores as a Neptune error; `what` names the operation. */
export function toNeptuneError(error: unknown, what: string): NeptuneError {
  return mapPostgresError(error, what, HINTS);
}
