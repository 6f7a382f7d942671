import { ConfigurationError } from '@neptune/core';
import type { QueryRunner } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';

export interface PgvectorFeatures {
  /** The installed pgvector version, e.g. `0.8.1`. */
  readonly version: string;
  /** `hnsw.iterative_scan` exists (pgvector 0.8.0 and later). */
  readonly iterativeScan: boolean;
}

function atLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let index = 0; index < minimum.length; index++) {
    const part = parts[index] ?? 0;
    if (part !== minimum[index]) return part > minimum[index]!;
  }
  return true;
}

/**
 * Checks once, on first use, that the table exists with `embedding vector(dimensions)` and reads the
 * pgvector version, so a wrong setup fails with a message that says what to do rather than with a
 * Postgres error on the first upsert. A failed check is not cached: after `ensureSchema()` it runs again.
 */
export function pgvectorReadiness(
  runner: QueryRunner,
  table: { readonly name: string; readonly dimensions: number },
): { check(): Promise<PgvectorFeatures>; reset(): void } {
  let pending: Promise<PgvectorFeatures> | undefined;

  async function inspect(): Promise<PgvectorFeatures> {
    const { db } = runner;
    const [extension] = await runner.run('ready', undefined, () =>
      db.select({ version: sql<string>`extversion` }).from(sql`pg_extension`).where(sql`extname = 'vector'`),
    );
    if (extension === undefined) {
      throw new ConfigurationError({
        message: `pgvectorStore: the pgvector extension is not installed in this database. Run ensureSchema() (it runs CREATE EXTENSION IF NOT EXISTS vector), or use postgresKeywordIndex on a Postgres without pgvector.`,
      });
    }
    const [column] = await runner.run('ready', undefined, () =>
      db
        .select({ type: sql<string>`format_type(atttypid, atttypmod)` })
        .from(sql`pg_attribute`)
        .where(sql`attrelid = to_regclass(${table.name}) AND attname = 'embedding' AND NOT attisdropped`),
    );
    if (column === undefined) {
      throw new ConfigurationError({
        message: `pgvectorStore: table ${table.name} does not exist or has no embedding column. Call ensureSchema() once at start-up, or add migrationSql to your migrations.`,
      });
    }
    if (column.type !== `vector(${table.dimensions})`) {
      throw new ConfigurationError({
        message: `pgvectorStore: ${table.name}.embedding is ${column.type}, but the store was created with dimensions: ${table.dimensions}. Use a table per embedding model (tableName option), or create the store with the table's dimensions.`,
        details: { column: column.type, dimensions: table.dimensions },
      });
    }
    return { version: extension.version, iterativeScan: atLeast(extension.version, [0, 8, 0]) };
  }

  return {
    check() {
      pending ??= inspect().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    reset() {
      pending = undefined;
    },
  };
}
