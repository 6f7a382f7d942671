import type { InstrumentQuery } from '@neptune/context';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';

/** What every example source needs: the app's drizzle database, query timing, and a clock. */
export interface SourceDependencies {
  readonly db: NodePgDatabase;
  /** From `createQueryInstrumentation`: times each query, emits `db-query`, logs slow plans. */
  readonly instrumentQuery: InstrumentQuery;
  /** Default `() => new Date()`. */
  readonly now?: (() => Date) | undefined;
}

export const dollars = (cents: number) =>
  `$${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
