import {
  type KeywordDocument,
  type KeywordIndex,
  type KeywordMatch,
  type KeywordQuery,
  type Scope,
  scopeKeys,
} from '@neptune/core';
import { coveredScopeCondition, type QueryRunner, scopeValues } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';
import { parseKeywordDocuments, parseKeywordQuery, parseRecordIds } from '../keyword/parse-keyword-input';
import { type KeywordPruning, searchBm25 } from './bm25-search';
import type { Bm25TableNames } from './bm25-tables';
import { bm25Columns, clearIndexed, writeIndexed } from './bm25-writes';
import type { KeywordChunkTable } from './chunk-table';
import { deleteIds } from './delete-rows';
import { lastPerId } from './record-batches';

export type KeywordMethods = Pick<KeywordIndex, 'add' | 'remove' | 'search' | 'clear'>;

/**
 * The `KeywordIndex` half of a chunk table: BM25 (k1 0.9, b 0.4, Lucene's English analysis and length
 * norm) over per-scope statistics tables kept in the same transaction as the rows, scoring as the memory
 * index does (`searchBm25`). Shared by `pgvectorStore` and `postgresKeywordIndex`.
 */
export function keywordMethods(
  runner: QueryRunner,
  table: KeywordChunkTable,
  names: Bm25TableNames,
  storeName: string,
  pruning: KeywordPruning = 'auto',
): KeywordMethods {
  return {
    async add(scope: Scope, documents: readonly KeywordDocument[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = lastPerId(parseKeywordDocuments(storeName, documents));
      await writeIndexed({
        runner,
        names,
        operation: 'add',
        keys,
        documents: parsed,
        textOf: (document) => document.text,
        // Replaces the text and metadata only: a record's vector, if it has one, stays.
        writeRows: (db, batch) =>
          db
            .insert(table)
            .values(
              batch.map(({ document, analysed }) => ({
                ...scopeValues(keys),
                id: document.id,
                text: document.text,
                metadata: document.metadata ?? {},
                ...bm25Columns(analysed),
              })),
            )
            .onConflictDoUpdate({
              target: [table.workspaceId, table.userScope, table.id],
              set: {
                text: sql`excluded.text`,
                metadata: sql`excluded.metadata`,
                bm25Length: sql`excluded.bm25_length`,
                bm25Terms: sql`excluded.bm25_terms`,
              },
            })
            .getSQL(),
      });
    },

    async remove(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseRecordIds(storeName, 'remove', ids);
      return deleteIds(runner, table, names, 'remove', keys, parsed);
    },

    async search(scope: Scope, query: KeywordQuery): Promise<KeywordMatch[]> {
      const keys = scopeKeys(scope);
      const parsed = parseKeywordQuery(storeName, query);
      return searchBm25({
        runner,
        names,
        table,
        keys,
        query: parsed.query,
        topK: parsed.topK,
        filter: parsed.filter,
        pruning,
      });
    },

    async clear(scope: Scope): Promise<number> {
      const keys = scopeKeys(scope);
      return clearIndexed(runner, names, keys, coveredScopeCondition(table, keys));
    },
  };
}
