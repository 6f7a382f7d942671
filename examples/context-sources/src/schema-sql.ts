import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import {
  agents,
  aiConversations,
  aiMessages,
  calendarEvents,
  campaigns,
  contacts,
  deals,
  invoices,
  tasks,
} from './schema';

export const allTables: readonly PgTable[] = [
  contacts,
  deals,
  calendarEvents,
  tasks,
  agents,
  campaigns,
  invoices,
  aiConversations,
  aiMessages,
];

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * `CREATE TABLE` statements derived from the drizzle schema, so the SQL is written once (in schema.ts).
 * An app would generate migrations with drizzle-kit; the benchmark needs the tables with and without
 * their indexes, which is why they are separate here.
 */
export function createTablesSql(): string[] {
  return allTables.map((table) => {
    const config = getTableConfig(table);
    const columns = config.columns.map(
      (column) =>
        `${quote(column.name)} ${column.getSQLType()}${column.primary ? ' PRIMARY KEY' : column.notNull ? ' NOT NULL' : ''}`,
    );
    return `CREATE TABLE IF NOT EXISTS ${quote(config.name)} (${columns.join(', ')})`;
  });
}

/** `CREATE INDEX` statements for the indexes the schema declares (the plan's, and one per source query). */
export function createIndexesSql(): string[] {
  return allTables.flatMap((table) => {
    const config = getTableConfig(table);
    return config.indexes.map((index) => {
      const columns = index.config.columns.map((column) => {
        const indexed = column as { name?: string; indexConfig?: { order?: string } };
        return `${quote(indexed.name!)}${indexed.indexConfig?.order === 'desc' ? ' DESC' : ''}`;
      });
      return `CREATE INDEX IF NOT EXISTS ${quote(index.config.name!)} ON ${quote(config.name)} (${columns.join(', ')})`;
    });
  });
}
