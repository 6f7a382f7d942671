import { defineContextSource } from '@neptune/context';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import {
  contactColumns,
  contactItem,
  contactRecord,
  dealColumns,
  dealItem,
  dealRecord,
  OPEN_DEAL_STAGES,
} from './records';
import { contacts, deals } from './schema';
import type { SourceDependencies } from './source-dependencies';

/**
 * CRM summary (cache kind `crm`, the plan's 5 minutes): the warmest leads and the open deals closing
 * soonest, two indexed queries of 10 rows each, shared by everyone in the workspace.
 */
export function crmSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'crm',
    limit: 20,
    schema: z.discriminatedUnion('entity', [
      contactRecord.extend({ entity: z.literal('contact') }),
      dealRecord.extend({ entity: z.literal('deal') }),
    ]),
    async load(scope, { limit }) {
      const half = Math.floor(limit / 2);
      const [leads, openDeals] = await Promise.all([
        instrumentQuery(
          'crm.hot-leads',
          db
            .select(contactColumns)
            .from(contacts)
            .where(and(eq(contacts.workspaceId, scope.workspaceId), eq(contacts.status, 'lead')))
            .orderBy(desc(contacts.leadScore))
            .limit(half),
          { scope },
        ),
        instrumentQuery(
          'crm.open-deals',
          db
            .select(dealColumns)
            .from(deals)
            .where(and(eq(deals.workspaceId, scope.workspaceId), inArray(deals.stage, OPEN_DEAL_STAGES)))
            .orderBy(asc(deals.closeDate))
            .limit(limit - half),
          { scope },
        ),
      ]);
      return [
        ...leads.map((lead) => ({ entity: 'contact' as const, ...lead })),
        ...openDeals.map((deal) => ({ entity: 'deal' as const, ...deal })),
      ];
    },
    toItem: (record) => (record.entity === 'contact' ? contactItem(record) : dealItem(record)),
  });
}
