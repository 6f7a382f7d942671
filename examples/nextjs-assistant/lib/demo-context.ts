import { defineContextSource } from '@neptune/context';
import { z } from 'zod';

// The app's own data, held in memory for the demo: in a real app these are bounded queries on your
// database (see examples/context-sources). Dates are relative to when the server started, so the
// "overdue", "today" and "soon" signals show on every run.
const DAY_MS = 24 * 60 * 60 * 1000;
const startedAt = Date.now();

const subscriptionRow = z.object({
  plan: z.string(),
  billing: z.enum(['monthly', 'yearly']),
  seats: z.number().int().positive(),
  purchasedAt: z.date(),
  renewsAt: z.date(),
});

const ticketRow = z.object({
  id: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(['open', 'waiting', 'solved']),
  updatedAt: z.date(),
  dueAt: z.date().nullable(),
});

type TicketRow = z.input<typeof ticketRow>;

const subscriptions = new Map<string, z.input<typeof subscriptionRow>>([
  [
    'demo',
    {
      plan: 'Team',
      billing: 'yearly',
      seats: 12,
      purchasedAt: new Date(startedAt - 45 * DAY_MS),
      renewsAt: new Date(startedAt + 320 * DAY_MS),
    },
  ],
]);

function demoTickets(): TicketRow[] {
  return [
    {
      id: 'T-1042',
      subject: 'Refund after cancelling the yearly Team plan',
      body: 'Asked whether cancelling the yearly plan now gets a refund for the unused months.',
      status: 'open',
      updatedAt: new Date(startedAt - 2 * DAY_MS),
      dueAt: new Date(startedAt + DAY_MS),
    },
    {
      id: 'T-1037',
      subject: 'Okta single sign-on test fails',
      body: 'The SAML test connection fails with an audience mismatch after uploading the metadata XML.',
      status: 'open',
      updatedAt: new Date(startedAt - 4 * DAY_MS),
      dueAt: new Date(startedAt - DAY_MS),
    },
    {
      id: 'T-1019',
      subject: 'Calendar sync duplicates events',
      body: 'Recurring meetings appear twice after reconnecting Google Calendar.',
      status: 'solved',
      updatedAt: new Date(startedAt - 9 * DAY_MS),
      dueAt: null,
    },
  ];
}

const dateOnly = (date: Date) => date.toISOString().slice(0, 10);

/** The workspace's subscription: one cached copy per workspace, shared by its users. */
export const subscriptionSource = defineContextSource({
  kind: 'workspace', // a built-in cache kind: one hour
  scope: 'workspace',
  limit: 1,
  schema: subscriptionRow,
  load: async (scope) => {
    const subscription = subscriptions.get(scope.workspaceId);
    return subscription === undefined ? [] : [subscription];
  },
  toItem: (row) => ({
    id: 'subscription',
    type: 'subscription',
    title: `${row.plan} plan, billed ${row.billing}`,
    detail: `The workspace is on the ${row.plan} plan, billed ${row.billing} for ${row.seats} seats. It was purchased on ${dateOnly(row.purchasedAt)} and renews on ${dateOnly(row.renewsAt)}.`,
    summary: `${row.plan} plan, billed ${row.billing}, purchased ${dateOnly(row.purchasedAt)}`,
    timestamp: row.purchasedAt,
  }),
});

/** The signed-in user's support tickets that are not solved: one cached copy per user. */
export const ticketsSource = defineContextSource({
  kind: 'tickets',
  ttlMs: 60_000,
  scope: 'user',
  limit: 20,
  schema: ticketRow,
  // Every user of the demo workspace has the same tickets; in an app this is a query on the user's rows.
  load: async (_scope, { limit }) =>
    demoTickets()
      .filter((ticket) => ticket.status !== 'solved')
      .slice(0, limit),
  toItem: (row) => ({
    id: `ticket-${row.id}`,
    type: 'support ticket',
    title: `${row.id}: ${row.subject}`,
    detail: row.body,
    summary: `${row.id}: ${row.subject} (${row.status})`,
    timestamp: row.updatedAt,
    dueAt: row.dueAt,
  }),
});
