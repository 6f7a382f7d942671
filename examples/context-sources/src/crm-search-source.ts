import { defineContextSource } from '@neptune/context';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { matchCount, searchTerms } from './name-search';
import { contactColumns, contactItem, contactRecord, dealColumns, dealItem, dealRecord } from './records';
import { contacts, deals } from './schema';
import type { SourceDependencies } from './source-dependencies';

/**
 * Contacts and deals the query names (kind `crm-search`, 5 minutes per distinct query): a query-dependent
 * source, so the query is part of its cache key. Its items have the CRM summary's ids (`deal-42`), so a
 * deal found by both is shown once. Runs no query when the question names nobody.
 */
export function crmSearchSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'crm-search',
    ttlMs: 5 * 60_000,
    varyByQuery: true,
    limit: 10,
    schema: z.discriminatedUnion('entity', [
      contactRecord.extend({ entity: z.literal('contact') }),
      dealRecord.extend({ entity: z.literal('deal') }),
    ]),
    async load(scope, { query, limit }) {
      const { names, words } = searchTerms(query);
      if (names.length === 0) return [];
      const half = Math.floor(limit / 2);
      const contactMatches = matchCount(names, [contacts.name, contacts.company]);
      const contactRank = matchCount([...names, ...words], [contacts.name, contacts.company]);
      const dealMatches = matchCount(names, [deals.title]);
      const dealRank = matchCount([...names, ...words], [deals.title]);
      const [people, namedDeals] = await Promise.all([
        instrumentQuery(
          'crm.search-contacts',
          db
            .select(contactColumns)
            .from(contacts)
            .where(and(eq(contacts.workspaceId, scope.workspaceId), sql`${contactMatches} > 0`))
            .orderBy(desc(contactRank), desc(contacts.leadScore))
            .limit(half),
          { scope },
        ),
        instrumentQuery(
          'crm.search-deals',
          db
            .select(dealColumns)
            .from(deals)
            .where(and(eq(deals.workspaceId, scope.workspaceId), sql`${dealMatches} > 0`))
            .orderBy(desc(dealRank), desc(deals.updatedAt))
            .limit(limit - half),
          { scope },
        ),
      ]);
      return [
        ...people.map((person) => ({ entity: 'contact' as const, ...person })),
        ...namedDeals.map((deal) => ({ entity: 'deal' as const, ...deal })),
      ];
    },
    toItem: (record) => (record.entity === 'contact' ? contactItem(record) : dealItem(record)),
  });
}
