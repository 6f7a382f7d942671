import { scopeKeys } from '@neptune/core';
import type { QueryRunner } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';
import type { Bm25TableNames } from './bm25-tables';
import { analyseText, indexSql, inTransaction, lockScopeSql, resultRows, userScopeOf } from './bm25-writes';
import { ROWS_PER_STATEMENT } from './record-batches';

/**
 * Runs the migration statements one at a time: drivers that use the extended protocol (PGlite, Neon)
 * take a single statement per query. Each is idempotent, so running this at every start is safe. Then
 * indexes the rows the BM25 tables do not hold yet (see `indexPendingRows`).
 */
export async function ensureChunkTable(
  runner: QueryRunner,
  statements: readonly string[],
  names: Bm25TableNames,
): Promise<void> {
  for (const statement of statements) {
    await runner.run('ensureSchema', undefined, () => runner.db.execute(sql.raw(statement)));
  }
  await indexPendingRows(runner, names);
}

interface PendingRow {
  readonly workspace_id: string;
  readonly user_id: string | null;
}

/**
 * Migrates a chunk table of an earlier release in place: its rows have no terms yet (`bm25_length` is
 * null), and the analysis runs here, in TypeScript, so SQL alone cannot fill the statistics. One scope at
 * a time, under that scope's write lock, the unanalysed rows are read again (so a concurrent writer's
 * newer text wins), analysed, marked and indexed. A table with nothing pending costs one indexed query.
 */
export async function indexPendingRows(runner: QueryRunner, names: Bm25TableNames): Promise<void> {
  const chunks = sql.raw(names.chunks);
  for (;;) {
    const scopes = resultRows<PendingRow>(
      await runner.run('ensureSchema', undefined, () =>
        runner.db.execute(
          sql`SELECT DISTINCT workspace_id, user_id FROM (SELECT workspace_id, user_id FROM ${chunks} WHERE bm25_length IS NULL LIMIT ${ROWS_PER_STATEMENT}) pending`,
        ),
      ),
    );
    if (scopes.length === 0) return;
    for (const scope of scopes) {
      const keys = scopeKeys({ workspaceId: scope.workspace_id, userId: scope.user_id ?? undefined });
      await runner.run('ensureSchema', keys, () =>
        inTransaction(runner, `${runner.storeName}.ensureSchema`, async (transaction) => {
          await transaction.execute(lockScopeSql(names, keys));
          const rows = resultRows<{ id: string; text: string | null }>(
            await transaction.execute(sql`SELECT id, text FROM ${chunks}
  WHERE workspace_id = ${keys.filter.workspaceId} AND user_scope = ${userScopeOf(keys)} AND bm25_length IS NULL
  LIMIT ${ROWS_PER_STATEMENT}`),
          );
          const documents = rows.map((row) => ({ id: row.id, analysed: analyseText(row.text) }));
          const marks = documents.map(({ id, analysed }) => ({
            id,
            length: analysed.length,
            terms: [...analysed.frequencies.keys()],
          }));
          await transaction.execute(sql`UPDATE ${chunks} c SET bm25_length = m.length,
  bm25_terms = ARRAY(SELECT json_array_elements_text(m.terms))
  FROM json_to_recordset(${JSON.stringify(marks)}::json) AS m(id text, length integer, terms json)
  WHERE c.workspace_id = ${keys.filter.workspaceId} AND c.user_scope = ${userScopeOf(keys)} AND c.id = m.id`);
          const index = indexSql(names, keys, documents);
          if (index !== undefined) await transaction.execute(index);
        }),
      );
    }
  }
}
