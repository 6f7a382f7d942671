import { describeWithService } from '@neptune/core/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  type PostgresTestDatabase,
  startPostgresTestDatabase,
} from '../../test/helpers/postgres-test-database';
import { truncateMemoryTables } from '../../test/helpers/truncate-memory-tables';
import { describeActionHistoryStoreConformance } from '../testing/action-history-store-conformance';
import { describeConsentStoreConformance } from '../testing/consent-store-conformance';
import { describeConversationStoreConformance } from '../testing/conversation-store-conformance';
import { drizzleActionHistoryStore } from './drizzle-action-history-store';
import { drizzleConsentStore } from './drizzle-consent-store';
import { drizzleConversationStore } from './drizzle-conversation-store';
import { migrate } from './migrate';

describeWithService('DATABASE_URL', 'drizzle memory stores on Postgres (DATABASE_URL)', (url) => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await startPostgresTestDatabase(url);
    await migrate(database.db);
  });
  afterAll(() => database?.close());
  const empty = () => truncateMemoryTables(database.db);

  describeConversationStoreConformance({
    name: 'drizzle (node-postgres)',
    create: () => drizzleConversationStore({ db: database.db }),
    destroy: empty,
  });

  describeActionHistoryStoreConformance({
    name: 'drizzle (node-postgres)',
    create: () => drizzleActionHistoryStore({ db: database.db }),
    destroy: empty,
  });

  describeConsentStoreConformance({
    name: 'drizzle (node-postgres)',
    create: () => drizzleConsentStore({ db: database.db }),
    destroy: empty,
  });
});
