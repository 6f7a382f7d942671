import { ValidationError } from '@neptune/core';
import type { QueryRunner } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';
import { dropPostingsKeyStatement, postingsKeyStatement } from './bm25-tables';
import { resultRows } from './bm25-writes';
import type { ChunkTableLayout, VectorChunkTableLayout } from './chunk-table';
import { dropHnswIndexStatement, hnswIndexStatement, qualifiedTableName } from './chunk-table-sql';

/** Settings for `pgvectorStore.bulkLoad()`. */
export interface BulkLoadOptions {
  /**
   * `maintenance_work_mem` for the index build, e.g. `'1GB'`: pgvector builds much faster while the graph
   * fits in it (it warns when it does not). Default: the server's setting.
   */
  readonly maintenanceWorkMem?: string | undefined;
}

/** What `postgresKeywordIndex.bulkLoad()` did: the load's result and whether (and how long) the postings' key was built after it. */
export interface KeywordBulkLoadReport<T> {
  readonly result: T;
  /** True when the table was empty at the start, so the postings' primary key was dropped and built after the load. */
  readonly indexBuiltAfter: boolean;
  /** How long building the key took, in ms (0 when it was not rebuilt). */
  readonly indexBuildMs: number;
}

/**
 * Runs `load` (a large ingestion through the index's ordinary writes) and, when the table held no rows
 * when it began, without the BM25 postings' primary key: it is dropped first and built once, sorted,
 * after the load, which costs a fraction of maintaining it posting by posting (tens of millions of them
 * at a million chunks). Searches during the load scan the postings table. The key is built even when
 * `load` fails; if the process dies mid-load, `ensureSchema()` builds it. A table that already holds
 * rows keeps its key and is loaded as it is.
 */
export async function loadThenKeyPostings<T>(
  runner: QueryRunner,
  buildRunner: QueryRunner,
  layout: ChunkTableLayout,
  load: () => Promise<T>,
): Promise<KeywordBulkLoadReport<T>> {
  if (await tableFilled(runner, layout))
    return { result: await load(), indexBuiltAfter: false, indexBuildMs: 0 };
  await runner.run('bulkLoad', undefined, () => runner.db.execute(sql.raw(dropPostingsKeyStatement(layout))));
  const buildKey = async () => {
    const started = performance.now();
    await buildRunner.run('buildIndex', undefined, () =>
      runner.db.execute(sql.raw(postingsKeyStatement(layout))),
    );
    return performance.now() - started;
  };
  let result: T;
  try {
    result = await load();
  } catch (error) {
    await buildKey().catch(() => undefined);
    throw error;
  }
  return { result, indexBuiltAfter: true, indexBuildMs: await buildKey() };
}

async function tableFilled(runner: QueryRunner, layout: ChunkTableLayout): Promise<boolean> {
  const [row] = resultRows<{ filled: boolean }>(
    await runner.run('bulkLoad', undefined, () =>
      runner.db.execute(sql.raw(`SELECT EXISTS (SELECT 1 FROM ${qualifiedTableName(layout)}) AS filled`)),
    ),
  );
  return row?.filled === true;
}

/** What `pgvectorStore.bulkLoad()` did: the load's result and whether (and how long) the HNSW index was built after it. */
export interface BulkLoadReport<T> {
  readonly result: T;
  /** True when the table was empty at the start, so the HNSW index was dropped and built after the load. */
  readonly indexBuiltAfter: boolean;
  /** How long the index build took, in ms (0 when it was not rebuilt). */
  readonly indexBuildMs: number;
}

/** `maintenance_work_mem` values as Postgres writes them: a number and a unit. Checked, since SET takes no parameters. */
const MEMORY_SETTING = /^\d+\s*(kB|MB|GB|TB)?$/;

/**
 * Runs `load` (a large ingestion through the store's ordinary writes) and, when the table held no rows
 * when it began, without the HNSW index: the index is dropped first and built once after the load, which
 * costs a fraction of inserting row by row into the graph. Searches during the load are exact scans.
 * The index is built even when `load` fails; if the process dies mid-load, `ensureSchema()` builds it.
 * A table that already holds rows keeps its index and is loaded as it is.
 */
export async function loadThenIndex<T>(
  runner: QueryRunner,
  buildRunner: QueryRunner,
  layout: VectorChunkTableLayout,
  load: () => Promise<T>,
  options: BulkLoadOptions = {},
): Promise<BulkLoadReport<T>> {
  const memory = options.maintenanceWorkMem;
  if (memory !== undefined && !MEMORY_SETTING.test(memory)) {
    throw new ValidationError({
      message: `bulkLoad options: maintenanceWorkMem must be a size such as '512MB' or '1GB', not '${memory}'.`,
    });
  }
  if (await tableFilled(runner, layout))
    return { result: await load(), indexBuiltAfter: false, indexBuildMs: 0 };
  await runner.run('bulkLoad', undefined, () => runner.db.execute(sql.raw(dropHnswIndexStatement(layout))));
  await runner.run('bulkLoad', undefined, () => runner.db.execute(sql.raw(dropPostingsKeyStatement(layout))));
  const buildIndex = async () => {
    const started = performance.now();
    await buildRunner.run('buildIndex', undefined, () =>
      runner.db.transaction(async (transaction) => {
        if (memory !== undefined)
          await transaction.execute(
            sql.raw(`SET LOCAL maintenance_work_mem = '${memory.replace(/\s/g, '')}'`),
          );
        await transaction.execute(sql.raw(postingsKeyStatement(layout)));
        await transaction.execute(sql.raw(hnswIndexStatement(layout)));
      }),
    );
    return performance.now() - started;
  };
  let result: T;
  try {
    result = await load();
  } catch (error) {
    // Also after a failed load: the rows written so far are searched through the index as usual.
    await buildIndex().catch(() => undefined);
    throw error;
  }
  return { result, indexBuiltAfter: true, indexBuildMs: await buildIndex() };
}
