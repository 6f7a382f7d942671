import type { TelemetryChannel } from '@neptune/core';
import type { PostgresDatabase } from '@neptune/core/postgres/drizzle';
import { and, eq } from 'drizzle-orm';
import { parseConsentSettings } from '../consent/consent-inputs';
import type { ConsentStore } from '../consent/consent-store';
import { anyScopeKeys, userScopeKeys } from '../scope-guards';
import { prepareDrizzleStore } from './prepare-drizzle-store';
import { memoryConsentTable } from './schema';

/** Options of `drizzleConsentStore`. */
export interface DrizzleConsentStoreOptions {
  /** A drizzle Postgres database (node-postgres, Neon, PGlite). Run `migrate(db)` once beforehand. */
  readonly db: PostgresDatabase;
  readonly telemetry?: TelemetryChannel | undefined;
  readonly slowQueryMs?: number | undefined;
  /** The longest one query may take before it fails with a retryable `TimeoutError`. Default 10 s. */
  readonly queryTimeoutMs?: number | undefined;
}

/** `ConsentStore` on Postgres through drizzle: the `neptune_memory_consent` table. */
export function drizzleConsentStore(options: DrizzleConsentStoreOptions): ConsentStore {
  const { db, run } = prepareDrizzleStore('drizzleConsentStore', options);
  const c = memoryConsentTable;
  return {
    name: 'drizzle',
    async get(scope) {
      const keys = userScopeKeys(scope, 'consent get');
      const rows = await run('get', keys, () =>
        db
          .select()
          .from(c)
          .where(and(eq(c.workspaceId, keys.filter.workspaceId), eq(c.userId, keys.filter.userId)))
          .limit(1),
      );
      const row = rows[0];
      return row
        ? { extraction: row.extraction, learning: row.learning, updatedAt: row.updatedAt }
        : undefined;
    },
    async set(scope, settings) {
      const keys = userScopeKeys(scope, 'consent set');
      const checked = parseConsentSettings(settings);
      const updatedAt = new Date();
      await run('set', keys, () =>
        db
          .insert(c)
          .values({ workspaceId: keys.filter.workspaceId, userId: keys.filter.userId, ...checked, updatedAt })
          .onConflictDoUpdate({ target: [c.workspaceId, c.userId], set: { ...checked, updatedAt } }),
      );
      return { ...checked, updatedAt };
    },
    async deleteScope(scope) {
      const keys = anyScopeKeys(scope);
      const where =
        keys.filter.userId === null
          ? eq(c.workspaceId, keys.filter.workspaceId)
          : and(eq(c.workspaceId, keys.filter.workspaceId), eq(c.userId, keys.filter.userId));
      const removed = await run('deleteScope', keys, () =>
        db.delete(c).where(where).returning({ userId: c.userId }),
      );
      return removed.length;
    },
  };
}
