/** One drizzle-kit migration, embedded in the package so `migrate(db)` needs no file system. */
export interface EmbeddedMigration {
  /** drizzle-kit's tag, e.g. `0000_memory_tables`: the order and the record in the migrations table. */
  readonly tag: string;
  /** SHA-256 of the SQL file, to detect a migration edited after it was applied. */
  readonly hash: string;
  readonly statements: readonly string[];
  /** Statements that revert it, from `drizzle/rollback/{tag}.sql`. */
  readonly rollback: readonly string[];
}
