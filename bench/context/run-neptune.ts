import type { ExampleApp } from '@neptune/examples-context-sources';
import type { BenchRequest } from './request-mix';
import { requestPassages } from './request-passages';

export interface NeptuneSample {
  readonly fetchMs: number;
  readonly assembleMs: number;
  readonly queries: number;
  readonly sources: number;
  readonly cacheHits: number;
  readonly failedSources: number;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly mustInclude: number;
  readonly mustIncludeKept: number;
  readonly mustIncludeInFull: number;
}

/**
 * Runs Neptune for each request, one at a time, as the example app does it: gather (cached sources and
 * the conversation window in parallel), then assemble within the default 8,000-token budget. A write
 * before a request completes one of the user's tasks and invalidates their cached tasks.
 */
export async function runNeptune(
  app: ExampleApp,
  requests: readonly BenchRequest[],
  countQueries: () => number,
): Promise<NeptuneSample[]> {
  const samples: NeptuneSample[] = [];
  for (const request of requests) {
    const { workspaceId, userId, conversationId } = request.user;
    const taskId = request.writeBefore ? request.user.spareTaskIds.pop() : undefined;
    if (taskId !== undefined) {
      await app.pool.query(`UPDATE tasks SET status = 'done', updated_at = now() WHERE id = $1`, [taskId]);
      await app.gatherer.invalidate({ workspaceId, userId }, 'tasks');
    }
    const queriesBefore = countQueries();
    const { gathered, assembled, timings } = await app.buildMessages(
      { workspaceId, userId },
      {
        query: request.query.text,
        conversationId,
        passages: requestPassages(request),
        measureUnpruned: true,
      },
    );
    const included = new Map(
      assembled.included
        .filter((element) => element.section === 'context')
        .map((element) => [element.id, element.mode]),
    );
    const labels = request.query.mustInclude;
    samples.push({
      fetchMs: timings.fetchMs,
      assembleMs: timings.assembleMs,
      queries: countQueries() - queriesBefore,
      sources: gathered.sources.filter((source) => source.status !== 'skipped').length,
      cacheHits: gathered.cacheHits,
      failedSources: gathered.failed.length,
      tokensBefore: assembled.unprunedTokens ?? Number.NaN,
      tokensAfter: assembled.tokens.total,
      mustInclude: labels.length,
      mustIncludeKept: labels.filter((id) => included.has(id)).length,
      mustIncludeInFull: labels.filter((id) => included.get(id) === 'full').length,
    });
  }
  return samples;
}
