import {
  DimensionMismatchError,
  type MetadataFilter,
  metadataFilterSchema,
  parseInput,
  recordIdsSchema,
  type Scope,
  scopeKeys,
  type VectorMatch,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
  vectorQuerySchema,
  vectorRecordsSchema,
} from '@neptune/core';
import { exactScopeCondition, type QueryRunner, scopeValues } from '@neptune/core/postgres/drizzle';
import { and, count, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Bm25TableNames } from './bm25-tables';
import { bm25Columns, deleteIndexed, writeIndexed } from './bm25-writes';
import type { VectorChunkTable } from './chunk-table';
import { deleteIds } from './delete-rows';
import { metadataFilterSql } from './metadata-filter-sql';
import { nearestRows } from './nearest-rows';
import type { PgvectorFeatures } from './pgvector-readiness';
import { inBatches, lastPerId } from './record-batches';

export type VectorMethods = Pick<
  VectorStore,
  'upsert' | 'delete' | 'deleteWhere' | 'query' | 'get' | 'count'
>;

export interface VectorMethodsOptions {
  readonly dimensions: number;
  readonly exactSearchThreshold: number;
  readonly efSearch: number;
  readonly ready: () => Promise<PgvectorFeatures>;
  /** The BM25 tables: a record's text is indexed for keyword search as it is upserted. */
  readonly names: Bm25TableNames;
}

function checkDimensions(dimensions: number, length: number, what: string): void {
  if (length === dimensions) return;
  throw new DimensionMismatchError({
    message: `pgvectorStore was created for ${dimensions} dimensions, but ${what} has ${length}. Embed with the model the store was created for, or use a store (and table) created with { dimensions: ${length} }.`,
    details: { expected: dimensions, received: length },
  });
}

/** Cosine similarity from pgvector's cosine distance; a zero vector has no direction and scores 0. */
function similarity(distance: number): number {
  const score = 1 - Number(distance);
  return Number.isNaN(score) ? 0 : Math.max(-1, Math.min(1, score));
}

/** The `VectorStore` half of `pgvectorStore`, over the `embedding` column of the chunk table. */
export function vectorMethods(
  runner: QueryRunner,
  table: VectorChunkTable,
  options: VectorMethodsOptions,
): VectorMethods {
  const { db } = runner;
  const { dimensions } = options;

  return {
    async upsert(scope: Scope, records: readonly VectorRecord[]): Promise<void> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(vectorRecordsSchema, records, 'records passed to pgvectorStore.upsert');
      for (const record of parsed)
        checkDimensions(dimensions, record.vector.length, `the vector of record "${record.id}"`);
      if (parsed.length === 0) return;
      await options.ready();
      await writeIndexed({
        runner,
        names: options.names,
        operation: 'upsert',
        keys,
        documents: lastPerId(parsed),
        textOf: (record) => record.keywordText ?? record.text,
        writeRows: (transaction, batch) =>
          transaction
            .insert(table)
            .values(
              batch.map(({ document: record, analysed }) => ({
                ...scopeValues(keys),
                id: record.id,
                text: record.text ?? null,
                metadata: record.metadata ?? {},
                embedding: Array.from(record.vector),
                ...bm25Columns(analysed),
              })),
            )
            .onConflictDoUpdate({
              target: [table.workspaceId, table.userScope, table.id],
              set: {
                text: sql`excluded.text`,
                metadata: sql`excluded.metadata`,
                embedding: sql`excluded.embedding`,
                bm25Length: sql`excluded.bm25_length`,
                bm25Terms: sql`excluded.bm25_terms`,
              },
            })
            .getSQL(),
      });
    },

    async delete(scope: Scope, ids: readonly string[]): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to pgvectorStore.delete');
      return deleteIds(runner, table, options.names, 'delete', keys, parsed);
    },

    async deleteWhere(scope: Scope, filter: MetadataFilter): Promise<number> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(metadataFilterSchema, filter, 'filter passed to pgvectorStore.deleteWhere');
      const where = and(exactScopeCondition(table, keys), metadataFilterSql(table.metadata, parsed)) as SQL;
      return deleteIndexed(runner, options.names, 'deleteWhere', keys, where);
    },

    async query(scope: Scope, query: VectorQuery): Promise<VectorMatch[]> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(vectorQuerySchema, query, 'query passed to pgvectorStore.query');
      checkDimensions(dimensions, parsed.vector.length, 'the query vector');
      const features = await options.ready();
      const rows = await nearestRows(runner, table, keys, parsed, {
        exactSearchThreshold: options.exactSearchThreshold,
        efSearch: options.efSearch,
        iterativeScan: features.iterativeScan,
      });
      const matches = rows.map((row) => ({
        id: row.id,
        score: similarity(row.distance),
        text: row.text ?? undefined,
        metadata: row.metadata,
      }));
      const { minScore } = parsed;
      return minScore === undefined ? matches : matches.filter((match) => match.score >= minScore);
    },

    async get(scope: Scope, ids: readonly string[]): Promise<VectorRecord[]> {
      const keys = scopeKeys(scope);
      const parsed = parseInput(recordIdsSchema, ids, 'ids passed to pgvectorStore.get');
      const found = new Map<string, VectorRecord>();
      for (const batch of inBatches([...new Set(parsed)])) {
        const rows = await runner.run(
          'get',
          keys,
          () =>
            db
              .select({
                id: table.id,
                embedding: table.embedding,
                text: table.text,
                metadata: table.metadata,
              })
              .from(table)
              .where(
                and(exactScopeCondition(table, keys), inArray(table.id, batch), isNotNull(table.embedding)),
              ),
          (result) => result.length,
        );
        for (const row of rows) {
          found.set(row.id, {
            id: row.id,
            vector: Float32Array.from(row.embedding ?? []),
            text: row.text ?? undefined,
            metadata: row.metadata,
          });
        }
      }
      return parsed.flatMap((id) => found.get(id) ?? []);
    },

    async count(scope: Scope): Promise<number> {
      const keys = scopeKeys(scope);
      const [row] = await runner.run('count', keys, () =>
        db
          .select({ records: count() })
          .from(table)
          .where(and(exactScopeCondition(table, keys), isNotNull(table.embedding))),
      );
      return Number(row?.records ?? 0);
    },
  };
}
