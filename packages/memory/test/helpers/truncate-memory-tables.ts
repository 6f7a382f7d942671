import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';

/** Empties every memory table between conformance tests, so each starts from an empty store. */
export async function truncateMemoryTables(db: PostgresDatabase): Promise<void> {
  await db.execute(
    sql.raw(
      'truncate neptune_conversations, neptune_messages, neptune_action_history, neptune_suggestion_feedback, neptune_memory_consent',
    ),
  );
}
