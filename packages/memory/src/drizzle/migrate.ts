import { ConfigurationError } from '@neptune/core';
import { mapPostgresError } from '@neptune/core/postgres';
import { type PostgresDatabase, rowsOf } from '@neptune/core/postgres/drizzle';
import { sql } from 'drizzle-orm';
import type { EmbeddedMigration } from './embedded-migration';
import { memoryMigrations } from './migrations';
import { MEMORY_STORE_ERROR_HINTS } from './prepare-drizzle-store';

/** Where applied migrations are recorded, beside the tables (in the connection's search_path schema). */
const MIGRATIONS_TABLE = 'neptune_memory_migrations';
/** Arbitrary constant for `pg_advisory_xact_lock`: two instances starting at once migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_364_011_209;

/** Options of `migrate`. */
export interface MigrateOptions {
  /** The migrations to apply. Default: the ones shipped with this version of @neptune/memory. */
  readonly migrations?: readonly EmbeddedMigration[] | undefined;
}

/** What `migrate` did: the migrations it applied and those already applied. */
export interface MigrateResult {
  /** Tags applied by this call, in order. */
  readonly applied: string[];
  /** Tags that were already applied. */
  readonly alreadyApplied: string[];
}

type Transaction = Parameters<Parameters<PostgresDatabase['transaction']>[0]>[0];

async function inTransaction<T>(
  db: PostgresDatabase,
  what: string,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction(work);
  } catch (error) {
    if (error instanceof Error && /no transactions support/i.test(error.message)) {
      throw new ConfigurationError({
        message: `${what} needs a driver with transactions, and this one has none (neon-http). Run it with drizzle-orm/neon-serverless or drizzle-orm/node-postgres, for example in your deploy step; the stores themselves work on neon-http.`,
        cause: error,
      });
    }
    throw mapPostgresError(error, what, MEMORY_STORE_ERROR_HINTS);
  }
}

/** Takes the migration lock and returns the recorded migrations (tag to hash), creating the table once. */
async function lockAndReadApplied(tx: Transaction): Promise<Map<string, string>> {
  await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  await tx.execute(
    sql`create table if not exists ${sql.identifier(MIGRATIONS_TABLE)} (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
  );
  const rows = rowsOf(await tx.execute(sql`select tag, hash from ${sql.identifier(MIGRATIONS_TABLE)}`));
  return new Map(rows.map((row) => [String(row.tag), String(row.hash)]));
}

/**
 * Applies the memory tables' migrations that have not been applied yet, in order, in one transaction:
 * either all pending migrations land or none does. The SQL is exactly what drizzle-kit generated, run
 * the same way on node-postgres, Neon (serverless) and PGlite, and recorded in `neptune_memory_migrations`.
 * Safe to call at every start-up: concurrent callers wait on an advisory lock, then find nothing to do.
 */
export async function migrate(db: PostgresDatabase, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? memoryMigrations;
  return inTransaction(db, 'migrate', async (tx) => {
    const applied = await lockAndReadApplied(tx);
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const recordedHash = applied.get(migration.tag);
      if (recordedHash !== undefined) {
        if (recordedHash !== migration.hash) {
          throw new ConfigurationError({
            message: `Migration ${migration.tag} was applied with different SQL (hash ${recordedHash.slice(0, 12)}…, now ${migration.hash.slice(0, 12)}…). Applied migrations must not change: revert the edit and add a new migration with drizzle-kit generate.`,
            details: { tag: migration.tag },
          });
        }
        result.alreadyApplied.push(migration.tag);
        continue;
      }
      for (const statement of migration.statements) await tx.execute(sql.raw(statement));
      await tx.execute(
        sql`insert into ${sql.identifier(MIGRATIONS_TABLE)} (tag, hash) values (${migration.tag}, ${migration.hash})`,
      );
      result.applied.push(migration.tag);
    }
    return result;
  });
}

/** Options of `rollback`. */
export interface RollbackOptions extends MigrateOptions {
  /** How many of the latest applied migrations to revert. Default 1. */
  readonly steps?: number | undefined;
}

/**
 * Reverts the latest applied migrations with their rollback scripts, newest first, in one transaction.
 * Reverting the first migration drops the memory tables and everything in them.
 */
export async function rollback(
  db: PostgresDatabase,
  options: RollbackOptions = {},
): Promise<{ reverted: string[] }> {
  const migrations = options.migrations ?? memoryMigrations;
  const steps = options.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new ConfigurationError({
      message: `rollback steps must be a positive integer, received ${steps}.`,
    });
  }
  return inTransaction(db, 'rollback', async (tx) => {
    const applied = await lockAndReadApplied(tx);
    const targets = migrations
      .filter((migration) => applied.has(migration.tag))
      .reverse()
      .slice(0, steps);
    for (const migration of targets) {
      for (const statement of migration.rollback) await tx.execute(sql.raw(statement));
      await tx.execute(sql`delete from ${sql.identifier(MIGRATIONS_TABLE)} where tag = ${migration.tag}`);
    }
    return { reverted: targets.map((migration) => migration.tag) };
  });
}
