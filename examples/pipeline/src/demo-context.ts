import { type ContextSource, defineContextSource } from '@neptune/context';
import { sleep } from '@neptune/core';
import { z } from 'zod';

const DAY_MS = 86_400_000;

/** How long each demo source takes to load, standing in for a CRM or database round trip. */
export const SOURCE_LATENCY_MS = { account: 60, tickets: 90, calendar: 45 } as const;

/** The rows, after the source's simulated latency (or the caller's abort). */
const loadAfter = <T>(ms: number, rows: readonly T[], signal: AbortSignal): Promise<readonly T[]> =>
  sleep(ms, signal).then(() => rows);

/** A support inbox as it looks on a normal day: a few tickets about the question, most about other things. */
const TICKETS = [
  { id: 4820, subject: 'Okta single sign-on: SAML assertion rejected for new users', status: 'open' },
  { id: 4812, subject: 'Refund for 5 unused seats after downgrading', status: 'waiting on customer' },
  { id: 4809, subject: 'CSV import stops at row 10,000', status: 'open' },
  { id: 4805, subject: 'Pipeline view slow with 40 stages', status: 'open' },
  { id: 4801, subject: 'Email sync misses messages from shared inbox', status: 'open' },
  { id: 4798, subject: 'Cannot invite users from partner domain', status: 'pending' },
  { id: 4795, subject: 'Webhook deliveries failing with 410', status: 'open' },
  { id: 4790, subject: 'Duplicate contacts after HubSpot import', status: 'open' },
  { id: 4786, subject: 'Two-factor codes not arriving by SMS', status: 'pending' },
  { id: 4781, subject: 'Dashboard widgets show yesterday’s numbers', status: 'open' },
  { id: 4777, subject: 'Request: dark mode for the mobile app', status: 'open' },
  { id: 4771, subject: 'Invoice address change for the finance team', status: 'solved' },
  { id: 4766, subject: 'API returns 429 during nightly sync', status: 'open' },
  { id: 4760, subject: 'Custom field lost after workflow edit', status: 'pending' },
  { id: 4755, subject: 'Calendar invites show the wrong time zone', status: 'open' },
  { id: 4749, subject: 'Export of closed deals misses the owner column', status: 'solved' },
  { id: 4742, subject: 'Lead score stuck at 0 for imported leads', status: 'open' },
  { id: 4738, subject: 'Question about data retention on the Growth plan', status: 'solved' },
];

const EVENTS: ReadonlyArray<readonly [string, number]> = [
  ['SSO rollout call with the Acme IT team', 1.05],
  ['Weekly pipeline review', 2],
  ['Renewal planning with finance', 6],
  ['Quarterly business review', 12],
  ['Onboarding session for the new sales hires', 15],
  ['Data migration checkpoint', 20],
];

/**
 * The app context an assistant for a SaaS help desk would have: the customer's account (workspace-wide),
 * the user's open tickets and calendar. Held in memory here; in an app each `load` is a query.
 */
export function demoContextSources(now: number): ContextSource[] {
  const account = defineContextSource({
    kind: 'account',
    scope: 'workspace',
    ttlMs: 5 * 60_000,
    schema: z.object({ plan: z.string(), seats: z.number(), renewsAt: z.number(), owner: z.string() }),
    load: (_scope, { signal }) =>
      loadAfter(
        SOURCE_LATENCY_MS.account,
        [{ plan: 'Business, billed annually', seats: 25, renewsAt: now + 96 * DAY_MS, owner: 'Ana Silva' }],
        signal,
      ),
    toItem: (row) => ({
      id: 'account',
      type: 'account',
      title: `Plan: ${row.plan}, ${row.seats} seats`,
      detail: `Plan: ${row.plan}. ${row.seats} seats. Account owner: ${row.owner}.`,
      dueAt: row.renewsAt,
    }),
  });
  const tickets = defineContextSource({
    kind: 'tickets',
    scope: 'user',
    ttlMs: 60_000,
    schema: z.object({ id: z.number(), subject: z.string(), status: z.string(), updatedAt: z.number() }),
    load: (_scope, { signal }) =>
      loadAfter(
        SOURCE_LATENCY_MS.tickets,
        TICKETS.map((ticket, index) => ({ ...ticket, updatedAt: now - (index + 1) * 7 * 3_600_000 })),
        signal,
      ),
    toItem: (row) => ({
      id: `ticket-${row.id}`,
      type: 'ticket',
      title: `#${row.id} ${row.subject} (${row.status})`,
      timestamp: row.updatedAt,
    }),
  });
  const calendar = defineContextSource({
    kind: 'calendar',
    scope: 'user',
    ttlMs: 2 * 60_000,
    schema: z.object({ title: z.string(), startsAt: z.number() }),
    load: (_scope, { signal }) =>
      loadAfter(
        SOURCE_LATENCY_MS.calendar,
        EVENTS.map(([title, days]) => ({ title, startsAt: now + days * DAY_MS })),
        signal,
      ),
    toItem: (row) => ({ id: `event-${row.title}`, type: 'event', title: row.title, startsAt: row.startsAt }),
  });
  return [account, tickets, calendar];
}
