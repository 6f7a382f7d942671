import { ProviderError, ValidationError } from '@neptune/core';
import { describeWithService, mockEmbedder, randomTestId } from '@neptune/core/testing';
import type { Worker } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import type { SourceDocument } from '../ingestion/source-document';
import { createKnowledgeBase, type KnowledgeBase } from '../knowledge-base';
import { createIngestQueue, type IngestQueue } from './ingest-queue';
import { createIngestWorker } from './ingest-worker';

const scope = { workspaceId: 'acme' };

function documents(count: number, prefix = 'doc'): SourceDocument[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    title: `${prefix} article ${index}`,
    text: `The ${prefix} article ${index} explains topic ${index}. A second sentence is about refunds number ${index}.`,
  }));
}

/** Polls the queue until nothing is waiting, running or waiting out a retry delay. */
async function settled(queue: IngestQueue): Promise<Awaited<ReturnType<IngestQueue['counts']>>> {
  for (;;) {
    const counts = await queue.counts();
    if (counts.waiting + counts.active + counts.delayed === 0) return counts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeWithService('REDIS_URL', 'ingestion on a BullMQ queue (real Redis)', (redisUrl) => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  let queue: IngestQueue;

  async function setUp(options: { attempts?: number; documentsPerJob?: number } = {}) {
    const embedder = mockEmbedder();
    const knowledgeBase = createKnowledgeBase({ embedder });
    const prefix = randomTestId('nq');
    queue = await createIngestQueue({ connection: redisUrl, prefix, backoffMs: 10, ...options });
    const worker: Worker = await createIngestWorker({ connection: redisUrl, prefix, knowledgeBase });
    opened.push(worker, queue);
    return { embedder, knowledgeBase, worker };
  }

  afterEach(async () => {
    await queue?.queue.obliterate({ force: true });
    for (const handle of opened.splice(0).reverse()) await handle.close();
  });

  const indexedIds = async (knowledgeBase: KnowledgeBase, inScope = scope) =>
    knowledgeBase.documentIds(inScope);

  it('indexes enqueued documents in the background, in jobs of documentsPerJob, with progress events', async () => {
    const { knowledgeBase } = await setUp({ documentsPerJob: 4 });
    const progress: string[] = [];
    const stop = await queue.onProgress((event) => progress.push(`${event.jobId}:${event.progress.phase}`));
    const jobIds = await queue.enqueueIngest(scope, documents(10));
    expect(jobIds).toHaveLength(3);
    const counts = await settled(queue);
    expect(counts).toMatchObject({ completed: 3, failed: 0 });
    expect(await indexedIds(knowledgeBase)).toHaveLength(10);
    // Tenant isolation: another workspace sees nothing of it.
    expect(await indexedIds(knowledgeBase, { workspaceId: 'other' })).toEqual([]);
    await expect.poll(() => progress.filter((entry) => entry.endsWith(':done')).length).toBe(3);
    stop();
  });

  it('embeds a document enqueued twice once: the same job id, then the manifest', async () => {
    const { embedder } = await setUp();
    const batch = documents(6);
    const first = await queue.enqueueIngest(scope, batch);
    const second = await queue.enqueueIngest(scope, batch);
    expect(second).toEqual(first);
    await settled(queue);
    const textsAfterFirst = embedder.embeddedCount;
    expect(textsAfterFirst).toBeGreaterThan(0);
    // Overlapping, in a different job: the finished documents are skipped without a model call.
    await queue.enqueueIngest(scope, [...batch.slice(0, 3), ...documents(1, 'new')]);
    await settled(queue);
    // Only the new document's chunks went to the model.
    const newTexts = embedder.calls.at(-1)!.texts;
    expect(newTexts.length).toBeGreaterThan(0);
    expect(newTexts.every((text) => text.includes('new article 0'))).toBe(true);
    expect(embedder.embeddedCount - textsAfterFirst).toBe(newTexts.length);
  });

  it('retries an embedding failure with backoff and then succeeds', async () => {
    const { embedder, knowledgeBase } = await setUp({ attempts: 4 });
    embedder.failNext(
      new ProviderError({ message: 'rate limited', code: 'rate-limited', isRetryable: true }),
      2,
    );
    const [jobId] = await queue.enqueueIngest(scope, documents(3));
    const counts = await settled(queue);
    expect(counts).toMatchObject({ completed: 1, failed: 0 });
    // Two failed tries and the one that succeeded.
    expect((await queue.queue.getJob(jobId!))?.attemptsMade).toBe(3);
    expect(await indexedIds(knowledgeBase)).toHaveLength(3);
  });

  it('puts a job that keeps failing in the dead-letter list, from where it can be retried', async () => {
    const { embedder, knowledgeBase } = await setUp({ attempts: 2 });
    embedder.failNext(new ProviderError({ message: 'model overloaded', isRetryable: true }), 2);
    const [jobId] = await queue.enqueueIngest(scope, documents(2));
    expect(await settled(queue)).toMatchObject({ failed: 1, completed: 0 });
    const [dead] = await queue.deadLetters();
    expect(dead).toMatchObject({ jobId, scope, documentIds: ['doc-0', 'doc-1'], attemptsMade: 2 });
    expect(dead!.reason).toMatch(/model overloaded/);
    expect(await indexedIds(knowledgeBase)).toEqual([]);

    expect(await queue.retryDeadLetter(jobId!)).toBe(true);
    expect(await settled(queue)).toMatchObject({ failed: 0, completed: 1 });
    expect(await queue.deadLetters()).toEqual([]);
    expect(await indexedIds(knowledgeBase)).toEqual(['doc-0', 'doc-1']);
    expect(await queue.retryDeadLetter('no-such-job')).toBe(false);
  });

  it('sends a failure no retry can fix to the dead-letter list at once', async () => {
    const { embedder } = await setUp({ attempts: 5 });
    embedder.failNext(new ProviderError({ message: 'invalid api key', code: 'authentication-failed' }), 1);
    await queue.enqueueIngest(scope, documents(1));
    await settled(queue);
    const [dead] = await queue.deadLetters();
    expect(dead!.attemptsMade).toBe(1);
    expect(await queue.discardDeadLetter(dead!.jobId)).toBe(true);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('refuses bad input when enqueuing, naming the field', async () => {
    await setUp();
    await expect(queue.enqueueIngest(scope, [{ id: 'empty', text: '  ' }])).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error) && /documents\.0\.text/.test((error as Error).message),
    );
    await expect(queue.enqueueIngest({ workspaceId: '' }, documents(1))).rejects.toThrow(/workspaceId/);
    expect(await queue.counts()).toMatchObject({ waiting: 0, completed: 0 });
  });
});
