import { defineContextSource } from '@neptune/context';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { invoices } from './schema';
import { dollars, isoDay, type SourceDependencies } from './source-dependencies';

const invoiceRecord = z.object({
  id: z.number(),
  customer: z.string(),
  amountCents: z.number(),
  issuedAt: z.date(),
  dueAt: z.date(),
});

/** Unpaid invoices (kind `finance`, 15 minutes), oldest due first: overdue ones score as overdue. */
export function financeSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'finance',
    ttlMs: 15 * 60_000,
    graceMs: 15 * 60_000,
    limit: 10,
    schema: invoiceRecord,
    load: (scope, { limit }) =>
      instrumentQuery(
        'finance.open-invoices',
        db
          .select({
            id: invoices.id,
            customer: invoices.customer,
            amountCents: invoices.amountCents,
            issuedAt: invoices.issuedAt,
            dueAt: invoices.dueAt,
          })
          .from(invoices)
          .where(and(eq(invoices.workspaceId, scope.workspaceId), eq(invoices.status, 'open')))
          .orderBy(asc(invoices.dueAt))
          .limit(limit),
        { scope },
      ),
    toItem: (invoice) => ({
      id: `invoice-${invoice.id}`,
      type: 'invoice',
      title: `Invoice to ${invoice.customer}`,
      summary: `Invoice to ${invoice.customer}: ${dollars(invoice.amountCents)} unpaid`,
      detail: `${dollars(invoice.amountCents)} invoiced to ${invoice.customer} on ${isoDay(invoice.issuedAt)}, due ${isoDay(invoice.dueAt)}, unpaid.`,
      dueAt: invoice.dueAt,
    }),
  });
}
