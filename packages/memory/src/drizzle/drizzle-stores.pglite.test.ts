import { memoryKeyValueStore } from '@neptune/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ana,
  bob,
  expectIntact,
  expectNothingOf,
  globexAna,
  readEverything,
  scopedRecordStore,
  seedEveryStore,
} from '../../test/helpers/erasure-scenario';
import { type PgliteTestDatabase, startPgliteTestDatabase } from '../../test/helpers/pglite-test-database';
import { truncateMemoryTables } from '../../test/helpers/truncate-memory-tables';
import { createMemory } from '../create-memory';
import { describeActionHistoryStoreConformance } from '../testing/action-history-store-conformance';
import { describeConsentStoreConformance } from '../testing/consent-store-conformance';
import { describeConversationStoreConformance } from '../testing/conversation-store-conformance';
import { drizzleActionHistoryStore } from './drizzle-action-history-store';
import { drizzleConsentStore } from './drizzle-consent-store';
import { drizzleConversationStore } from './drizzle-conversation-store';
import { drizzleMemoryStores } from './drizzle-memory-stores';
import { migrate } from './migrate';

// PGlite is the embedded and edge path: the same migrations and queries as on a Postgres server.
let database: PgliteTestDatabase;
beforeAll(async () => {
  database = await startPgliteTestDatabase();
  await migrate(database.db);
});
afterAll(() => database?.close());
const empty = () => truncateMemoryTables(database.db);

describeConversationStoreConformance({
  name: 'drizzle (PGlite)',
  create: () => drizzleConversationStore({ db: database.db }),
  destroy: empty,
});

describeActionHistoryStoreConformance({
  name: 'drizzle (PGlite)',
  create: () => drizzleActionHistoryStore({ db: database.db }),
  destroy: empty,
});

describeConsentStoreConformance({
  name: 'drizzle (PGlite)',
  create: () => drizzleConsentStore({ db: database.db }),
  destroy: empty,
});

describe('memory on PGlite: erasure', () => {
  afterEach(empty);

  it('eraseUser leaves no row of the user in any table; others are intact', async () => {
    const stores = drizzleMemoryStores({ db: database.db });
    const keyValue = memoryKeyValueStore();
    const vectors = scopedRecordStore();
    const memory = createMemory({ consentDefaults: 'opt-out', ...stores, keyValue });
    memory.onErase('vectors', (scope) => vectors.clear(scope));
    const scenario = { memory, actions: stores.actions, consent: stores.consent, keyValue, vectors };
    await seedEveryStore(memory, keyValue, vectors);
    await memory.eraseUser(ana);
    for (const table of [
      'neptune_conversations',
      'neptune_messages',
      'neptune_action_history',
      'neptune_suggestion_feedback',
      'neptune_memory_consent',
    ]) {
      const { rows } = await database.client.query<{ n: number }>(
        `select count(*)::int as n from ${table} where workspace_id = 'acme' and user_id = 'ana'`,
      );
      expect(rows[0]!.n, table).toBe(0);
    }
    expectNothingOf(await readEverything(scenario, ana));
    expectIntact(await readEverything(scenario, bob));
    expectIntact(await readEverything(scenario, globexAna));
  });
});
