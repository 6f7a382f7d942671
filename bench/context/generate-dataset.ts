import { emptyTables } from './dataset-tables';
import { createRandom, type Random } from './random';
import { CHANNELS, companyNames, DEAL_KINDS, FIRST_NAMES, LAST_NAMES, sentence, THINGS } from './vocabulary';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Rows of one table, as the loader inserts them: column names, their Postgres types, and the values. */
export interface TableRows {
  readonly columns: readonly string[];
  readonly types: readonly string[];
  readonly rows: unknown[][];
}

/** A question one user asks, with the items an answer cannot do without (by context item id). */
export interface LabelledQuery {
  readonly text: string;
  readonly mustInclude: readonly string[];
}

export interface BenchUser {
  readonly workspaceId: string;
  readonly userId: string;
  readonly conversationId: number;
  /** An open task that is not labelled: what a simulated write completes. */
  readonly spareTaskIds: number[];
  readonly queries: readonly LabelledQuery[];
}

export interface Dataset {
  readonly tables: Readonly<Record<string, TableRows>>;
  readonly users: readonly BenchUser[];
  readonly counts: Readonly<Record<string, number>>;
}

export interface DatasetOptions {
  readonly seed: number;
  /** Multiplies every table except workspaces and users. */
  readonly scale: number;
  readonly now: number;
  readonly workspaces?: number;
  readonly usersPerWorkspace?: number;
}

/** Rows per workspace at scale 1: 50 workspaces give the 10k contacts, 5k events, 20k tasks, 100k messages. */
const PER_WORKSPACE = {
  contacts: 200,
  deals: 60,
  events: 100,
  tasks: 400,
  agents: 5,
  campaigns: 8,
  invoices: 60,
  conversationsPerUser: 2,
  messagesPerConversation: 100,
};

/** A reproducible data set: the same seed and scale give the same rows, relative to `now`. */
export function generateDataset(options: DatasetOptions): Dataset {
  const random = createRandom(options.seed);
  const workspaceCount = options.workspaces ?? 50;
  const usersPerWorkspace = options.usersPerWorkspace ?? 10;
  const per = (count: number) => Math.round(count * options.scale);
  const at = (offsetMs: number) => new Date(options.now + offsetMs);
  const startOfToday = Math.floor(options.now / DAY_MS) * DAY_MS;
  const tables = emptyTables();
  const nextId: Record<string, number> = {};
  const add = (name: keyof typeof tables, values: unknown[]) => {
    const id = (nextId[name] ?? 0) + 1;
    nextId[name] = id;
    tables[name].rows.push([id, ...values]);
    return id;
  };
  const users: BenchUser[] = [];

  for (let workspace = 0; workspace < workspaceCount; workspace++) {
    const workspaceId = `ws-${String(workspace).padStart(3, '0')}`;
    const companies = companyNames(random, 40);
    const userIds = Array.from({ length: usersPerWorkspace }, (_, index) => `user-${index}`);
    const people: Array<{ id: number; name: string; company: string }> = [];
    for (let index = 0; index < per(PER_WORKSPACE.contacts); index++) {
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      const company = random.pick(companies);
      const status = random.chance(0.4) ? 'lead' : random.chance(0.85) ? 'customer' : 'churned';
      const id = add('contacts', [
        workspaceId,
        name,
        `${name.toLowerCase().replace(' ', '.')}@${company.toLowerCase().replace(' ', '')}.test`,
        company,
        status,
        random.integer(0, 100),
        random.chance(0.8) ? at(-random.integer(1, 60) * DAY_MS) : null,
        sentence(random, 15, 40),
        at(-random.integer(60, 700) * DAY_MS),
      ]);
      people.push({ id, name, company });
    }
    const openDeals: Array<{ id: number; title: string }> = [];
    for (let index = 0; index < per(PER_WORKSPACE.deals); index++) {
      const person = random.pick(people);
      const stage = random.pick(['prospect', 'proposal', 'negotiation', 'won', 'lost']);
      const title = `${person.company} ${random.pick(DEAL_KINDS)}`;
      const id = add('deals', [
        workspaceId,
        person.id,
        title,
        stage,
        random.integer(5, 500) * 100_000,
        at(random.integer(-60, 60) * DAY_MS),
        at(-random.integer(0, 30) * DAY_MS),
        sentence(random, 15, 35),
      ]);
      if (!['won', 'lost'].includes(stage)) openDeals.push({ id, title });
    }
    for (let index = 0; index < per(PER_WORKSPACE.agents); index++) {
      add('agents', [
        workspaceId,
        `${random.pick(['Lead', 'Invoice', 'Meeting', 'Churn', 'Content'])} ${random.pick(['enricher', 'chaser', 'scheduler', 'watcher', 'writer'])}`,
        sentence(random, 10, 25),
        random.pick(['active', 'active', 'paused', 'failing']),
        at(-random.integer(1, 72) * HOUR_MS),
        random.integer(0, 200),
        random.integer(0, 20),
      ]);
    }
    for (let index = 0; index < per(PER_WORKSPACE.campaigns); index++) {
      add('campaigns', [
        workspaceId,
        `${random.pick(['Spring', 'Summer', 'Autumn', 'Winter', 'Launch', 'Retention'])} ${random.pick(CHANNELS)} push`,
        random.pick(CHANNELS),
        random.pick(['active', 'scheduled', 'ended']),
        at(random.integer(-30, 30) * DAY_MS),
        at(random.integer(31, 90) * DAY_MS),
        random.integer(10, 500) * 10_000,
        random.integer(0, 400),
        at(-random.integer(0, 10) * DAY_MS),
      ]);
    }
    for (let index = 0; index < per(PER_WORKSPACE.invoices); index++) {
      const issued = -random.integer(5, 90) * DAY_MS;
      add('invoices', [
        workspaceId,
        random.pick(companies),
        random.integer(10, 900) * 10_000,
        random.chance(0.7) ? 'paid' : 'open',
        at(issued),
        at(issued + 30 * DAY_MS),
      ]);
    }

    const perUser = (count: number) => Math.max(1, Math.round(per(count) / usersPerWorkspace));
    for (const userId of userIds) {
      // Each user has one overdue task and one event today by construction: the labelled items.
      const company = random.pick(companies);
      const thing = random.pick(THINGS);
      const overdueTitle = `Send ${company} the revised ${thing}`;
      const overdueTask = add('tasks', [
        workspaceId,
        userId,
        overdueTitle,
        sentence(random, 12, 30),
        'open',
        'high',
        at(-random.integer(1, 5) * DAY_MS),
        at(-6 * DAY_MS),
      ]);
      const spareTaskIds: number[] = [];
      for (let index = 1; index < perUser(PER_WORKSPACE.tasks); index++) {
        const open = random.chance(0.6);
        const title = random.pick([
          `Follow up with ${random.pick(FIRST_NAMES)} about the ${random.pick(THINGS)}`,
          `Prepare the ${random.pick(THINGS)} for ${random.pick(companies)}`,
          `Review the ${random.pick(THINGS)}`,
          `Update the ${random.pick(THINGS)} numbers`,
        ]);
        const due = random.chance(0.15)
          ? null
          : at(random.integer(-20, 30) * DAY_MS + random.integer(0, 23) * HOUR_MS);
        const id = add('tasks', [
          workspaceId,
          userId,
          title,
          sentence(random, 12, 30),
          open ? 'open' : 'done',
          random.pick(['low', 'normal', 'high']),
          due,
          at(-random.integer(0, 20) * DAY_MS),
        ]);
        if (open) spareTaskIds.push(id);
      }
      const meetingTitle = random.chance(0.5)
        ? `${company} quarterly review`
        : `Demo for ${random.pick(companies)}`;
      const todayStart = startOfToday + random.integer(0, 22) * HOUR_MS;
      const todayEvent = add('calendar_events', [
        workspaceId,
        userId,
        meetingTitle,
        sentence(random, 10, 25),
        random.pick(['Zoom', 'Room 4', 'Client office', 'Phone']),
        new Date(todayStart),
        new Date(todayStart + HOUR_MS),
      ]);
      for (let index = 1; index < perUser(PER_WORKSPACE.events); index++) {
        const start = options.now + random.integer(-3 * 24, 14 * 24) * HOUR_MS;
        add('calendar_events', [
          workspaceId,
          userId,
          random.pick([
            'Team standup',
            `1:1 with ${random.pick(FIRST_NAMES)}`,
            `${random.pick(companies)} check-in`,
            'Pipeline review',
            'Budget planning',
          ]),
          sentence(random, 10, 25),
          random.pick(['Zoom', 'Room 2', 'Phone']),
          new Date(start),
          new Date(start + HOUR_MS),
        ]);
      }
      const conversations: number[] = [];
      for (let index = 0; index < PER_WORKSPACE.conversationsPerUser; index++) {
        const lastMessageAt = at(-random.integer(1, 48 * (index + 1)) * HOUR_MS);
        const conversationId = add('ai_conversations', [
          workspaceId,
          userId,
          `${random.pick(THINGS)} questions`,
          lastMessageAt,
        ]);
        conversations.push(conversationId);
        const messages = perUser(PER_WORKSPACE.messagesPerConversation * usersPerWorkspace);
        for (let turn = 0; turn < messages; turn++) {
          add('ai_messages', [
            conversationId,
            workspaceId,
            userId,
            turn % 2 === 0 ? 'user' : 'assistant',
            sentence(random, 15, 60),
            new Date(lastMessageAt.getTime() - (messages - turn) * 5 * 60_000),
          ]);
        }
      }
      const deal = random.pick(openDeals);
      const person = random.pick(people);
      users.push({
        workspaceId,
        userId,
        conversationId: conversations[0]!,
        spareTaskIds,
        queries: [
          {
            text: `What should I do first today? ${overdueTitle} is overdue and I have the ${meetingTitle} later.`,
            mustInclude: [`task-${overdueTask}`, `event-${todayEvent}`],
          },
          { text: `Prep me for the ${meetingTitle} today.`, mustInclude: [`event-${todayEvent}`] },
          { text: `Where are we on the ${deal.title} deal?`, mustInclude: [`deal-${deal.id}`] },
          {
            text: `Anything new with ${person.name} from ${person.company}?`,
            mustInclude: [`contact-${person.id}`],
          },
        ],
      });
    }
  }
  const counts = Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.rows.length]));
  return { tables, users, counts };
}

/** Retrieved passages for a question, the same every time it is asked (as a cached retrieval would be). */
export function passagesFor(random: Random, count: number) {
  return Array.from({ length: count }, (_, index) => ({
    id: `passage-${index}-${random.integer(0, 1e9)}`,
    text: `${sentence(random, 40, 60)} ${sentence(random, 30, 50)}`,
    citation: {
      documentId: `handbook-${random.integer(1, 40)}`,
      title: 'Sales handbook',
      source: 'handbook.md',
      start: 0,
      end: 400,
    },
  }));
}
