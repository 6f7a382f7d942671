import { defineContextSource } from '@neptune/context';
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { agents } from './schema';
import type { SourceDependencies } from './source-dependencies';

const agentRecord = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  status: z.string(),
  lastRunAt: z.date().nullable(),
  runsLast7d: z.number(),
  failuresLast7d: z.number(),
});

/** The workspace's automation agents (kind `agents`, 10 minutes), failing ones first. */
export function agentsSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'agents',
    ttlMs: 10 * 60_000,
    graceMs: 10 * 60_000,
    limit: 10,
    schema: agentRecord,
    load: (scope, { limit }) =>
      instrumentQuery(
        'agents.list',
        db
          .select({
            id: agents.id,
            name: agents.name,
            description: agents.description,
            status: agents.status,
            lastRunAt: agents.lastRunAt,
            runsLast7d: agents.runsLast7d,
            failuresLast7d: agents.failuresLast7d,
          })
          .from(agents)
          .where(eq(agents.workspaceId, scope.workspaceId))
          .orderBy(sql`${agents.status} <> 'failing'`, asc(agents.name))
          .limit(limit),
        { scope },
      ),
    toItem: (agent) => ({
      id: `agent-${agent.id}`,
      type: 'agent',
      title: agent.name,
      summary: `${agent.name}: ${agent.status}, ${agent.runsLast7d} runs and ${agent.failuresLast7d} failures in 7 days`,
      detail: `${agent.description} Status ${agent.status}; ${agent.runsLast7d} runs, ${agent.failuresLast7d} failures in the last 7 days.`,
      ...(agent.lastRunAt === null ? {} : { timestamp: agent.lastRunAt }),
      signals: { failingAgent: agent.status === 'failing' },
    }),
  });
}
