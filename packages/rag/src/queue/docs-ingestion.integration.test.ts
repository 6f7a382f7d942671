// The snippets of docs/ingestion.md, verbatim inside functions that set up what they use (the queue snippet
// adds a per-test `prefix`), so that the page cannot go stale: if a snippet changes here, change the page too.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithService, randomTestId } from '@neptune/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKnowledgeBase, type KnowledgeBase } from '../index';
import type { SourceDocument } from '../ingestion/source-document';
import { loadFolder } from '../loaders';
import { pdfBytes } from '../loaders/testing/pdf-bytes';
import { createIngestQueue, createIngestWorker, runIngestJob } from './index';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'neptune-docs-'));
  await mkdir(join(folder, 'drafts'));
  await writeFile(
    join(folder, 'refunds.md'),
    '---\ncategory: billing\n---\n# Refunds\n\nRefunds take five days.',
  );
  await writeFile(join(folder, 'drafts', 'wip.md'), '# Draft');
  await writeFile(join(folder, 'manual.pdf'), await pdfBytes([['Chargebacks take ten days.']]));
  await writeFile(join(folder, 'scan.pdf'), await pdfBytes([[]]));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('docs/ingestion.md', () => {
  it('loaders snippet', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // --- snippet ---
    const knowledgeBase = createKnowledgeBase();
    const { documents, failures } = await loadFolder(folder, {
      include: ['**/*.{md,html,pdf}'],
      exclude: ['drafts/**'],
    });
    for (const failure of failures) console.warn(failure.message); // Cannot load scan.pdf: has no text layer ...
    await knowledgeBase.ingest({ workspaceId: 'acme' }, documents);
    // --- end ---
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Cannot load scan\.pdf: has no text layer/));
    warn.mockRestore();
    expect(await knowledgeBase.documentIds({ workspaceId: 'acme' })).toEqual([
      'manual.pdf#page=1',
      'refunds.md',
    ]);
  });

  it('serverless snippet answers 200, then 503 to retry and 400 to stop', async () => {
    const knowledgeBase = createKnowledgeBase();
    // --- snippet ---
    async function POST(request: Request): Promise<Response> {
      try {
        return Response.json(await runIngestJob(knowledgeBase, await request.json()));
      } catch (error) {
        const retry = (error as { isRetryable?: boolean }).isRetryable !== false;
        return Response.json({ error: (error as Error).message }, { status: retry ? 503 : 400 });
      }
    }
    // --- end ---
    const call = (body: unknown) =>
      POST(new Request('http://localhost/ingest', { method: 'POST', body: JSON.stringify(body) }));
    const payload = {
      scope: { workspaceId: 'acme' },
      documents: [{ id: 'a', text: 'Refunds take five days.' }],
    };
    const ok = await call(payload);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ added: 1 });
    expect((await call({ scope: { workspaceId: 'acme' }, documents: [{ id: 'a', text: '' }] })).status).toBe(
      400,
    );
    const broken = createKnowledgeBase({
      embedder: {
        provider: 'x',
        model: 'y',
        dimensions: 8,
        embed: () => Promise.reject(new Error('socket hang up')),
      },
    });
    const retried = await runIngestJob(broken, payload).catch(
      (error: { isRetryable?: boolean }) => error.isRetryable,
    );
    expect(retried).toBe(true);
  });
});

describeWithService('REDIS_URL', 'docs/ingestion.md queue snippet (real Redis)', (redisUrl) => {
  it('enqueues in the app and indexes in the worker', async () => {
    const prefix = randomTestId('docs');
    const knowledgeBase: KnowledgeBase = createKnowledgeBase();
    const documents: SourceDocument[] = [{ id: 'a', text: 'Refunds take five days.' }];
    // --- snippet ---
    const queue = await createIngestQueue({ connection: redisUrl, prefix });
    const jobIds = await queue.enqueueIngest({ workspaceId: 'acme' }, documents);

    const worker = await createIngestWorker({ connection: redisUrl, prefix, knowledgeBase, concurrency: 2 });
    // --- end ---
    try {
      expect(jobIds).toHaveLength(1);
      await expect
        .poll(() => knowledgeBase.documentIds({ workspaceId: 'acme' }), { timeout: 10_000 })
        .toEqual(['a']);
    } finally {
      await worker.close();
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
