import { createTelemetryChannel, type NeptuneEvent, ProviderError, ValidationError } from '@neptune/core';
import { mockEmbedder } from '@neptune/core/testing';
import { describe, expect, it } from 'vitest';
import { offlineReranker } from './offline-reranker';

const query = 'reset password email';
// The input order is the worst one, so the reranker must overcome the previous stage's rank.
const candidates = [
  { id: 'none', text: 'Our office is closed on public holidays.' },
  {
    id: 'scattered',
    text: 'Email us. '.concat(
      'Filler words here. '.repeat(12),
      'You can reset things. ',
      'More filler. '.repeat(12),
      'Password.',
    ),
  },
  { id: 'together', text: 'To reset your password, follow the link in the email we send you.' },
  { id: 'phrase', text: 'Reset password email: the message arrives within a minute.' },
];

describe('offlineReranker', () => {
  it('ranks full coverage with the terms together and in order above scattered and missing terms', async () => {
    const results = await offlineReranker({ weights: { previous: 0 } }).rerank(query, candidates, {
      topN: 4,
    });
    expect(results.map((result) => result.id)).toEqual(['phrase', 'together', 'scattered', 'none']);
    for (const result of results) {
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
    }
    expect(results.map((result) => result.score)).toEqual(
      [...results.map((result) => result.score)].sort((a, b) => b - a),
    );
  });

  it('with the default weights, lets a full match overtake a miss ranked above it', async () => {
    const results = await offlineReranker().rerank(query, [candidates[0]!, candidates[2]!], { topN: 2 });
    expect(results.map((result) => result.id)).toEqual(['together', 'none']);
  });

  it('counts a rare query term for more than a common one with idf weighting', async () => {
    const pool = [
      { id: 'common-only', text: 'password password help' },
      { id: 'rare', text: 'saml login help' },
      { id: 'x1', text: 'password policy' },
      { id: 'x2', text: 'password length' },
    ];
    const idf = await offlineReranker().rerank('password saml', pool, { topN: 4 });
    expect(idf[0]!.id).toBe('rare');
    const uniform = await offlineReranker({ termWeighting: 'uniform' }).rerank('password saml', pool, {
      topN: 4,
    });
    expect(uniform[0]!.id).toBe('common-only');
  });

  it('keeps the previous order among equals, and the previous weight alone keeps the order', async () => {
    const equal = [
      { id: 'first', text: 'alpha beta' },
      { id: 'second', text: 'alpha beta' },
    ];
    const results = await offlineReranker({ weights: { previous: 0 } }).rerank('alpha beta', equal, {
      topN: 2,
    });
    expect(results.map((result) => result.id)).toEqual(['first', 'second']);
    expect(results[0]!.score).toBe(results[1]!.score);
    const onlyPrevious = offlineReranker({ weights: { coverage: 0, proximity: 0, phrase: 0, previous: 1 } });
    const kept = await onlyPrevious.rerank(query, candidates, { topN: 4 });
    expect(kept.map((result) => result.id)).toEqual(candidates.map((candidate) => candidate.id));
  });

  it('is deterministic and returns at most topN', async () => {
    const reranker = offlineReranker();
    const first = await reranker.rerank(query, candidates, { topN: 2 });
    expect(first).toHaveLength(2);
    expect(await reranker.rerank(query, candidates, { topN: 2 })).toEqual(first);
    expect(await offlineReranker().rerank(query, candidates, { topN: 2 })).toEqual(first);
  });

  it('blends in the embedding cosine when given an embedder, in two batched calls', async () => {
    const favourite = 'Our office is closed on public holidays.';
    // The query and the favourite passage share a vector; everything else is orthogonal to it.
    const near = Float32Array.from({ length: 16 }, (_, index) => (index === 0 ? 1 : 0));
    const far = Float32Array.from({ length: 16 }, (_, index) => (index === 1 ? 1 : 0));
    const embedder = mockEmbedder({
      dimensions: 16,
      embed: (texts) => texts.map((text) => (text === query || text === favourite ? near : far)),
    });
    const reranker = offlineReranker({
      embedder,
      weights: { embedding: 1, coverage: 0.1, proximity: 0, phrase: 0, previous: 0 },
    });
    const results = await reranker.rerank(query, candidates, { topN: 4 });
    expect(results[0]!.id).toBe('none');
    expect(embedder.calls.map((call) => call.purpose)).toEqual(['query', 'document']);
    expect(embedder.calls[1]!.texts).toHaveLength(4);
  });

  it('goes on without embeddings when the embedder fails, and says so', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const embedder = mockEmbedder();
    embedder.failNext(new ProviderError({ message: 'embedding service down', isRetryable: true }), 2);
    const reranker = offlineReranker({ embedder, telemetry, weights: { previous: 0 } });
    const results = await reranker.rerank(query, candidates, { topN: 4 });
    expect(results.map((result) => result.id)).toEqual(['phrase', 'together', 'scattered', 'none']);
    expect(events).toEqual([
      expect.objectContaining({ type: 'error', source: 'rag', code: 'provider-error' }),
    ]);
  });

  it('refuses bad arguments', async () => {
    expect(() => offlineReranker({ weights: { coverage: -1 } })).toThrow(/weights.coverage/);
    await expect(offlineReranker().rerank('q', [{ id: 1 } as never], { topN: 1 })).rejects.toThrow(
      ValidationError,
    );
  });
});
