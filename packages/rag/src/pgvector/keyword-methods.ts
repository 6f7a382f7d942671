import {
  type KeywordDocument,
  type KeywordIndex,
  type KeywordMatch,
  type KeywordQuery,
  type Scope,
  scopeKeys,
} from '@neptune/core';
import { and, asc, desc, sql } from 'drizzle-orm';
import { parseKeywordDocuments, parseKeywordQuery, parseRecordIds } from '../keyword/parse-keyword-input';
import type { KeywordChunkTable } from './chunk-table';
import { deleteIds, deleteRows } from './delete-rows';
import { fullTextQuery } from './full-text-query';
import { metadataFilterSql } from './metadata-filter-sql';
import type { QueryRunner } from './query-runner';
import { inBatches, lastPerId } from './record-batches';
import { clearCondition, scopeCondition, scopeValues } from './scope-condition';

export type KeywordMethods = Pick<KeywordIndex, 'add' | 'remove' | 'search' | 'clear'>;

/**
 * The `KeywordIndex` half of a chunk table: Postgres full text over the generated `tsv` column (english
 * configuration, GIN index): rows with any query word, those with every word first, ranked by
 * `ts_rank`. Shared by `pgvectorStore` and `postgresKeywordIndex`.
 */
export function keywordMethods(
  runner: QueryRunner,
  table: KeywordChunkTable,
  storeName: string,
): KeywordMethods {
  const { db } = runner;

  return {
    async add(scope: Scope, documents: readonly KeywordDocument[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = parseKeywordDocuments(storeName, documents);
      const rows = lastPerId(parsed).map((document) => ({
        ...scopeValues(keys),
        id: document.id,
        text: document.text,
        metadata: document.metadata ?? {},
      }));
      for (const batch of inBatches(rows)) {
        // Replaces the text and metadata only: a record's vector, if it has one, stays.
        await runner.run('add', keys, () =>
          db
            .insert(table)
            .values(batch)
            .onConflictDoUpdate({
              target: [table.workspaceId, table.userScope, table.id],
              set: { text: sql`excluded.text`, metadata: sql`excluded.metadata` },
            }),
        );
      }
    },

    async remove(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseRecordIds(storeName, 'remove', ids);
      return deleteIds(runner, table, 'remove', keys, parsed);
    },

    async search(scope: Scope, query: KeywordQuery): Promise<KeywordMatch[]> {
      const keys = scopeKeys(scope);
      const parsed = parseKeywordQuery(storeName, query);
      const tsquery = fullTextQuery(parsed.query);
      if (tsquery === undefined) return [];
      // Rows with every word first (+1), then ts_rank with flags 16|32: divided by 1 + log(unique words),
      // then mapped into [0, 1). ts_rank, not ts_rank_cd: with an OR query every single word is a "cover",
      // and cover density ranked SciFact at nDCG@10 0.32-0.37 against ts_rank's 0.59 (docs/rag-stores.md).
      // Flag 16 rather than 1 (total length) so a word repeated in a short chunk still counts for more.
      const score = sql<number>`(CASE WHEN ${table.tsv} @@ ${tsquery.allTerms} THEN 1 ELSE 0 END) + ts_rank(${table.tsv}, ${tsquery.anyTerm}, 48)`;
      const rows = await runner.run(
        'search',
        keys,
        () =>
          db
            .select({ id: table.id, text: table.text, metadata: table.metadata, score })
            .from(table)
            .where(
              and(
                scopeCondition(table, keys),
                sql`${table.tsv} @@ ${tsquery.anyTerm}`,
                metadataFilterSql(table.metadata, parsed.filter),
              ),
            )
            .orderBy(desc(score), asc(table.id))
            .limit(parsed.topK),
        (result) => result.length,
      );
      return rows.map((row) => ({
        id: row.id,
        score: Number(row.score),
        text: row.text ?? undefined,
        metadata: row.metadata,
      }));
    },

    async clear(scope: Scope): Promise<number> {
      const keys = scopeKeys(scope);
      return deleteRows(runner, table, 'clear', keys, clearCondition(table, keys));
    },
  };
}
