import { ProviderError, ValidationError } from '@neptune/core';
import { mockEmbedder } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../knowledge-base';
import { IngestJobError, runIngestJob } from './ingest-job';

const job = {
  scope: { workspaceId: 'acme' },
  documents: [
    { id: 'a', text: 'Refunds take five days to reach the card.' },
    { id: 'b', text: 'Webhooks are signed with your secret.' },
  ],
};

describe('runIngestJob (the worker function, no queue needed)', () => {
  it('indexes a job payload and reports what it did; the same payload again embeds nothing', async () => {
    const embedder = mockEmbedder();
    const knowledgeBase = createKnowledgeBase({ embedder });
    const phases: string[] = [];
    const first = await runIngestJob(knowledgeBase, job, {
      onProgress: (progress) => void phases.push(progress.phase),
    });
    expect(first).toMatchObject({ added: 2, unchanged: 0 });
    expect(phases.at(-1)).toBe('done');
    const again = await runIngestJob(knowledgeBase, JSON.parse(JSON.stringify(job)));
    expect(again).toMatchObject({ added: 0, unchanged: 2, embeddingsComputed: 0 });
  });

  it('throws a retryable IngestJobError for an embedding failure worth retrying, naming the documents', async () => {
    const embedder = mockEmbedder();
    embedder.failNext(
      new ProviderError({ message: 'rate limited', code: 'rate-limited', isRetryable: true }),
    );
    const failure = await runIngestJob(createKnowledgeBase({ embedder }), job).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(IngestJobError);
    expect(failure).toMatchObject({ isRetryable: true, code: 'rate-limited', failedDocumentIds: ['a', 'b'] });
  });

  it('marks a failure no retry can fix as not retryable, and refuses a bad payload', async () => {
    const embedder = mockEmbedder();
    embedder.failNext(new ProviderError({ message: 'bad key', code: 'authentication-failed' }));
    await expect(runIngestJob(createKnowledgeBase({ embedder }), job)).rejects.toMatchObject({
      isRetryable: false,
    });
    const payload = { scope: { workspaceId: 'acme' }, documents: [] };
    await expect(runIngestJob(createKnowledgeBase(), payload)).rejects.toSatisfy(ValidationError.isInstance);
  });
});
