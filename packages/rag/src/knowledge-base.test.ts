import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCache, memoryKeyValueStore } from '@neptune/cache';
import {
  AbortError,
  createTelemetryChannel,
  type NeptuneEvent,
  ScopeError,
  ValidationError,
  type VectorStore,
} from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { mockEmbedder } from '@neptune/core/testing';
import { createTokenizer } from '@neptune/core/tokenizer';
import { describe, expect, it } from 'vitest';
import { memoryVectorStore } from './in-memory/memory-vector-store';
import type { SourceDocument } from './ingestion/source-document';
import { createKnowledgeBase } from './knowledge-base';
import { offlineReranker } from './reranking/offline-reranker';
import { hybridRetriever } from './retrieval/hybrid-retriever';

const acme = { workspaceId: 'acme' };
const globex = { workspaceId: 'globex' };

const articles: SourceDocument[] = readFileSync(
  join(import.meta.dirname, '../../../examples/pipeline/data/knowledge-base.jsonl'),
  'utf8',
)
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as SourceDocument);

const longDocument: SourceDocument = {
  id: 'handbook',
  title: 'Support handbook',
  text: Array.from(
    { length: 30 },
    (_, index) =>
      `Section ${index}. Ticket category ${index} covers topic-${index} questions from customers. Agents answer topic-${index} within ${index + 1} hours and escalate to tier two when needed.`,
  ).join('\n\n'),
};

function knowledgeBase(embedder = mockEmbedder({ dimensions: 256 })) {
  return { embedder, kb: createKnowledgeBase({ embedder, maxChunkTokens: 64, overlapTokens: 8 }) };
}

describe('createKnowledgeBase: ingestion', () => {
  it('indexes documents and answers with citations whose offsets point into the source', async () => {
    const { kb } = knowledgeBase();
    const report = await kb.ingest(acme, [...articles, longDocument]);
    expect(report.added).toHaveLength(articles.length + 1);
    expect(report.failed).toEqual([]);
    const result = await kb.retrieve(acme, 'refund after cancelling an annual plan');
    expect(result.passages[0]!.citation.documentId).toBe('billing-refunds');
    expect(result.legs).toEqual(expect.arrayContaining(['vector', 'keyword']));
    for (const passage of result.passages) {
      const source = [...articles, longDocument].find(
        (document) => document.id === passage.citation.documentId,
      )!;
      expect(source.text.slice(passage.citation.start, passage.citation.end)).toBe(passage.text);
    }
  });

  it('cites a markdown document without a title by its H1, and a given title wins', async () => {
    const { kb } = knowledgeBase();
    const text = '```\n# not the title\n```\n\n# Refund guide\n\nAnnual plans are refunded within 30 days.';
    await kb.ingest(acme, [
      { id: 'guide.md', text, format: 'markdown' },
      { id: 'titled.md', title: 'Billing FAQ', text: '# Ignored\n\nMonthly plans are refunded never.' },
    ]);
    const titles = Object.fromEntries(
      (await kb.retrieve(acme, 'refunded plans')).passages.map((passage) => [
        passage.citation.documentId,
        passage.citation.title,
      ]),
    );
    expect(titles).toEqual({ 'guide.md': 'Refund guide', 'titled.md': 'Billing FAQ' });
  });

  it('costs no embedding call when re-run unchanged, and replaces only what changed', async () => {
    const { kb, embedder } = knowledgeBase();
    await kb.ingest(acme, articles);
    const embeddedFirst = embedder.embeddedCount;
    const again = await kb.ingest(acme, articles);
    expect(again.unchanged).toHaveLength(articles.length);
    expect(again.embeddingsComputed).toBe(0);
    expect(embedder.embeddedCount).toBe(embeddedFirst);

    const changed = articles.map((article) =>
      article.id === 'api-rate-limits'
        ? { ...article, text: article.text.replace('100 requests', '250 requests') }
        : article,
    );
    const update = await kb.ingest(acme, changed);
    expect(update.updated).toEqual(['api-rate-limits']);
    expect(update.unchanged).toHaveLength(articles.length - 1);
    const result = await kb.retrieve(acme, 'how many API requests per minute on Growth');
    expect(result.passages[0]!.text).toContain('250 requests');
    expect(result.passages.some((passage) => passage.text.includes('100 requests per minute'))).toBe(false);
  });

  it('full sync removes documents that are gone, with their chunks', async () => {
    const { kb } = knowledgeBase();
    await kb.ingest(acme, articles);
    const kept = articles.filter((article) => article.id !== 'security-sso');
    const report = await kb.ingest(acme, kept, { mode: 'full' });
    expect(report.removed).toEqual(['security-sso']);
    expect(report.chunksDeleted).toBeGreaterThan(0);
    expect(await kb.documentIds(acme)).not.toContain('security-sso');
    const result = await kb.retrieve(acme, 'SAML single sign-on Okta', { cache: false });
    expect(result.passages.map((passage) => passage.citation.documentId)).not.toContain('security-sso');
  });

  it('a failure midway leaves the indexed version intact and nothing of the new one visible', async () => {
    const { kb, embedder } = knowledgeBase();
    await kb.ingest(acme, [longDocument]);
    const before = await kb.retrieve(acme, 'topic-7 escalation', { cache: false });
    embedder.failNext(new Error('embedding service down'));
    const rewritten = {
      ...longDocument,
      text: longDocument.text.replaceAll('Agents answer', 'Bots reply to'),
    };
    const report = await kb.ingest(acme, [rewritten]);
    expect(report.failed.map((failure) => failure.documentId)).toEqual(['handbook']);
    const after = await kb.retrieve(acme, 'topic-7 escalation', { cache: false });
    expect(after.passages.map((passage) => passage.id)).toEqual(before.passages.map((passage) => passage.id));
    expect(after.passages.every((passage) => !passage.text.includes('Bots reply'))).toBe(true);
  });

  it('embeds the next group while the last one is written, one call of each in flight, writes in order', async () => {
    const events: string[] = [];
    const inner = mockEmbedder({ dimensions: 256 });
    let embedCalls = 0;
    let nextEmbedStarted = () => {};
    const embedder = {
      ...inner,
      async embed(texts: readonly string[], options?: Parameters<typeof inner.embed>[1]) {
        const call = ++embedCalls;
        events.push(`embed ${call}`);
        if (call === 2) nextEmbedStarted();
        return inner.embed(texts, options);
      },
    };
    const vectorStore = memoryVectorStore({ dimensions: 256 });
    let writes = 0;
    const slowStore: VectorStore = {
      ...vectorStore,
      async upsert(scope, records) {
        const write = ++writes;
        events.push(`write ${write} start`);
        // The first write ends only once the second group's embedding has begun.
        if (write === 1) await new Promise<void>((resolve) => (nextEmbedStarted = resolve));
        await vectorStore.upsert(scope, records);
        events.push(`write ${write} end`);
      },
    };
    const kb = createKnowledgeBase({ embedder, vectorStore: slowStore, embedBatchSize: 1, cache: false });
    const documents = articles.slice(0, 3).map(({ id, text }) => ({ id, text }));
    const report = await kb.ingest(acme, documents);
    expect(report.added).toEqual(documents.map((document) => document.id));
    // The second group was embedded while the first was being written (which waited for it).
    expect(events.slice(0, 4)).toEqual(['embed 1', 'write 1 start', 'embed 2', 'write 1 end']);
    // Never two writes at once, and in the order of the documents.
    expect(events.filter((event) => event.startsWith('write'))).toEqual([
      'write 1 start',
      'write 1 end',
      'write 2 start',
      'write 2 end',
      'write 3 start',
      'write 3 end',
    ]);
    expect(embedCalls).toBe(3);
    expect(await vectorStore.count(acme)).toBe(report.chunksWritten);
  });

  it('reports progress through every phase', async () => {
    const { kb } = knowledgeBase();
    const phases: string[] = [];
    await kb.ingest(acme, articles, { onProgress: (progress) => phases.push(progress.phase) });
    expect(phases[0]).toBe('checking');
    expect(phases).toContain('embedding');
    expect(phases.at(-1)).toBe('done');
  });

  it('refuses bad documents with typed errors and loses nothing already stored', async () => {
    const { kb } = knowledgeBase();
    await kb.ingest(acme, articles);
    await expect(kb.ingest(acme, [{ id: 'x', text: '   ' }])).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error) && /text: is empty/.test((error as Error).message),
    );
    await expect(kb.ingest(acme, [{ id: 'x', text: { pdf: true } as unknown as string }])).rejects.toThrow(
      /must be text/,
    );
    await expect(kb.ingest(acme, [{ id: 'x', text: 'ok', metadata: { chunkIndex: 3 } }])).rejects.toThrow(
      /reserved key/,
    );
    await expect(kb.ingest(acme, [articles[0]!, articles[0]!])).rejects.toThrow(/same document id twice/);
    await expect(kb.ingest({ workspaceId: 'a:b' }, articles)).rejects.toBeInstanceOf(ScopeError);
    expect(await kb.documentIds(acme)).toHaveLength(articles.length);
  });
});

describe('createKnowledgeBase: retrieval', () => {
  it('never shows one workspace what another indexed', async () => {
    const { kb } = knowledgeBase();
    await kb.ingest(acme, articles);
    const result = await kb.retrieve(globex, 'refund policy annual plan');
    expect(result.passages).toEqual([]);
    expect(await kb.documentIds(globex)).toEqual([]);
  });

  it('answers from keywords alone when the embedder fails, and says so', async () => {
    const { kb, embedder } = knowledgeBase();
    await kb.ingest(acme, articles);
    embedder.failNext(new Error('embedder unavailable'));
    const result = await kb.retrieve(acme, 'Retry-After header rate limit', { cache: false });
    expect(result.legs).toEqual(['keyword']);
    expect(result.degraded[0]).toMatch(/^vector: embedder unavailable/);
    expect(result.passages[0]!.citation.documentId).toBe('api-rate-limits');
  });

  it('widens hits with neighbouring chunks within the token budget', async () => {
    const { kb } = knowledgeBase();
    await kb.ingest(acme, [longDocument]);
    const narrow = await kb.retrieve(acme, 'topic-12 questions', { neighbours: 0, topK: 1, cache: false });
    const wide = await kb.retrieve(acme, 'topic-12 questions', { neighbours: 1, topK: 1, cache: false });
    expect(narrow.passages[0]!.chunkIds).toHaveLength(1);
    expect(wide.passages[0]!.chunkIds.length).toBeGreaterThan(1);
    expect(wide.passages[0]!.text).toContain(narrow.passages[0]!.text);
    const tight = await kb.retrieve(acme, 'topic-12 questions', {
      neighbours: 2,
      topK: 5,
      maxTokens: 80,
      cache: false,
    });
    const totalTokens = tight.passages.reduce((sum, passage) => sum + passage.chunkIds.length, 0);
    expect(totalTokens).toBeLessThan(5 * 5);
  });

  it('caches results per query and options, and forgets them when the corpus changes', async () => {
    const { kb, embedder } = knowledgeBase();
    await kb.ingest(acme, articles);
    const first = await kb.retrieve(acme, 'export all contacts as CSV');
    const callsAfterFirst = embedder.calls.length;
    const second = await kb.retrieve(acme, 'export all contacts as CSV');
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(embedder.calls.length).toBe(callsAfterFirst);
    expect(second.passages.map((passage) => passage.id)).toEqual(first.passages.map((passage) => passage.id));
    expect((await kb.retrieve(acme, 'export all contacts as CSV', { topK: 3 })).cached).toBe(false);
    await kb.ingest(acme, [
      { id: 'new-doc', title: 'CSV exports', text: 'Exports of contacts as CSV now include tags.' },
    ]);
    expect((await kb.retrieve(acme, 'export all contacts as CSV')).cached).toBe(false);
  });

  it('indexes again when the manifest survived but the vector store lost its records (a restart)', async () => {
    const store = memoryKeyValueStore();
    const embedder = mockEmbedder({ dimensions: 256 });
    const before = createKnowledgeBase({ embedder, store, cache: false });
    await before.ingest(acme, articles);
    // A new process: the key-value store is shared (Redis), the default in-memory vector store is empty.
    const after = createKnowledgeBase({ embedder, store, cache: false });
    const report = await after.ingest(acme, articles);
    expect(report.added).toHaveLength(articles.length);
    expect(report.embeddingsComputed).toBe(0);
    expect((await after.retrieve(acme, 'export all contacts as CSV')).passages.length).toBeGreaterThan(0);
    // With the records in place, the next run is incremental again.
    expect((await after.ingest(acme, articles)).unchanged).toHaveLength(articles.length);
  });

  it('after a restart, re-indexes the documents of every call, also when the first call brings only new ones', async () => {
    const store = memoryKeyValueStore();
    const embedder = mockEmbedder({ dimensions: 256 });
    const [first, second] = [articles.slice(0, 2), articles.slice(2)];
    await createKnowledgeBase({ embedder, store, cache: false }).ingest(acme, articles);
    const after = createKnowledgeBase({ embedder, store, cache: false });
    const fresh = {
      id: 'new-doc',
      title: 'CSV exports',
      text: 'Exports of contacts as CSV now include tags.',
    };
    // The first call writes records, so a later "does the store hold the scope?" would answer yes.
    expect((await after.ingest(acme, [fresh])).added).toEqual(['new-doc']);
    expect((await after.ingest(acme, first)).added).toHaveLength(first.length);
    expect((await after.ingest(acme, second)).added).toHaveLength(second.length);
    const written = await after.vectorStore.count(acme);
    expect(written).toBeGreaterThanOrEqual(articles.length + 1);
    // Everything is now trusted again: the next run changes nothing.
    const rerun = await after.ingest(acme, [fresh, ...articles]);
    expect(rerun.unchanged).toHaveLength(articles.length + 1);
    expect(await after.vectorStore.count(acme)).toBe(written);
  });

  it('gives a hand-wired hybridRetriever the same fusion defaults for the offline embedder', async () => {
    const embedder = offlineEmbedder();
    const tokenizer = await createTokenizer({ encoding: 'cl100k_base' });
    const kb = createKnowledgeBase({ embedder, tokenizer, cache: false, cacheEmbeddings: false });
    await kb.ingest(acme, articles);
    const byHand = hybridRetriever({
      vectorStore: kb.vectorStore,
      keywordIndex: kb.keywordIndex,
      embedder,
      tokenizer,
    });
    for (const query of ['export all contacts as CSV', 'refund after cancelling an annual plan']) {
      const fromKb = await kb.retrieve(acme, query);
      const fromRetriever = await byHand.retrieve(acme, query);
      const scoreFusion = await byHand.retrieve(acme, query, {
        fusion: 'score',
        vectorWeight: 0.2,
        keywordWeight: 0.8,
      });
      const scores = (result: typeof fromKb) => result.passages.map((passage) => [passage.id, passage.score]);
      expect(scores(fromRetriever)).toEqual(scores(fromKb));
      expect(scores(fromRetriever)).toEqual(scores(scoreFusion));
    }
  });

  it('keys cached results on the options as the retriever resolves them', async () => {
    const kb = createKnowledgeBase({ embedder: offlineEmbedder() });
    await kb.ingest(acme, articles);
    const byDefault = await kb.retrieve(acme, 'export all contacts as CSV');
    const rankFused = await kb.retrieve(acme, 'export all contacts as CSV', { fusion: 'rrf' });
    const sameAsDefault = await kb.retrieve(acme, 'export all contacts as CSV', { fusion: 'score' });
    expect(rankFused.cached).toBe(false);
    expect(rankFused.passages.map((passage) => passage.score)).not.toEqual(
      byDefault.passages.map((passage) => passage.score),
    );
    expect(sameAsDefault.cached).toBe(true);
  });

  it('reports a cached answer as a retrieval-end event marked cached, so metrics count it', async () => {
    const telemetry = createTelemetryChannel();
    const ends: Array<{ cached: boolean; results: number }> = [];
    telemetry.on(
      'retrieval-end',
      (event) => void ends.push({ cached: event.cached, results: event.results }),
    );
    const kb = createKnowledgeBase({ embedder: mockEmbedder({ dimensions: 256 }), telemetry });
    await kb.ingest(acme, articles);
    const first = await kb.retrieve(acme, 'export all contacts as CSV');
    await kb.retrieve(acme, 'export all contacts as CSV');
    expect(ends).toEqual([
      { cached: false, results: first.passages.length },
      { cached: true, results: first.passages.length },
    ]);
  });

  it('refuses empty and oversized queries with typed errors', async () => {
    const { kb } = knowledgeBase();
    await expect(kb.retrieve(acme, '  ')).rejects.toSatisfy(
      (error) => ValidationError.isInstance(error) && /query is empty/.test((error as Error).message),
    );
    await expect(kb.retrieve(acme, 'x'.repeat(5000))).rejects.toThrow(/over 4000 characters/);
    await expect(kb.retrieve(acme, 'ok', { topK: 0 })).rejects.toThrow(/topK/);
  });
});

// Issue 15 item 5: what is derived from a user's words is kept under the user's scope and erased with it.
describe('createKnowledgeBase: erasure', () => {
  it('keeps a user query vector under the user scope, and erase(user) leaves no key of the user', async () => {
    const store = memoryKeyValueStore({ maxEntries: 10_000, maxBytes: 100_000_000 });
    const kb = createKnowledgeBase({
      embedder: mockEmbedder({ dimensions: 64 }),
      store,
      maxChunkTokens: 64,
      overlapTokens: 8,
    });
    const ana = { workspaceId: 'acme', userId: 'ana' };
    const bob = { workspaceId: 'acme', userId: 'bob' };
    await kb.ingest(acme, articles.slice(0, 3));
    for (const user of [ana, bob]) {
      await kb.ingest(user, [{ id: 'notes', text: `Private notes of ${user.userId} on refunds.` }]);
      await kb.retrieve(user, `refund question from ${user.userId}`);
    }
    const keys = async (scope: { workspaceId: string; userId?: string }) => {
      const found: string[] = [];
      for await (const key of store.list(scope)) found.push(key);
      return found;
    };
    // The workspace holds only the workspace documents' vectors, not a user's question.
    expect((await keys(acme)).filter((key) => key.includes(':query:'))).toEqual([]);
    expect((await keys(ana)).some((key) => key.includes(':query:'))).toBe(true);

    const { removed } = await kb.erase(ana);
    expect(removed).toBeGreaterThan(0);
    expect(await keys(ana)).toEqual([]);
    expect(await kb.vectorStore.count(ana)).toBe(0);
    expect(await keys(bob)).not.toEqual([]);
    expect(await kb.documentIds(bob)).toEqual(['notes']);
    expect((await kb.retrieve(acme, 'refund')).passages.length).toBeGreaterThan(0);
  });
});

describe('createKnowledgeBase: the result cache', () => {
  // Issue 15 item 10: a result too large to cache is still the answer, and the cache says it was not kept.
  it('answers with a result too large to cache, reported as not cached', async () => {
    const telemetry = createTelemetryChannel();
    const events: NeptuneEvent[] = [];
    telemetry.subscribe((event) => events.push(event));
    const store = memoryKeyValueStore();
    const cache = createCache({ store, telemetry, maxValueBytes: 1_024 });
    const kb = createKnowledgeBase({ embedder: mockEmbedder({ dimensions: 64 }), store, cache });
    await kb.ingest(acme, articles);
    const result = await kb.retrieve(acme, 'export all contacts as CSV');
    expect(result.passages.length).toBeGreaterThan(0);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'cache-error', kind: 'rag-results', operation: 'encode' }),
    );
    expect((await kb.retrieve(acme, 'export all contacts as CSV')).passages).toEqual(result.passages);
  });

  // Issue 15 item 11: concurrent identical questions search once, through the cache's single-flight.
  it('searches once for 20 concurrent identical questions', async () => {
    // A model that takes a moment, as a real one does, so the questions really overlap.
    const embedder = mockEmbedder({ dimensions: 64, delayMs: 20 });
    const kb = createKnowledgeBase({ embedder, cacheEmbeddings: false });
    await kb.ingest(acme, articles);
    const before = embedder.calls.length;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => kb.retrieve(acme, 'refund after cancelling an annual plan')),
    );
    expect(embedder.calls.length - before).toBe(1);
    expect(results.filter((result) => !result.cached)).toHaveLength(1);
    const ids = results.map((result) => result.passages.map((passage) => passage.id).join());
    expect(new Set(ids).size).toBe(1);
  });

  it('keys results on the expander and reranker, so a shared cache keeps differently-built bases apart', async () => {
    const store = memoryKeyValueStore();
    const cache = createCache({ store });
    const embedder = mockEmbedder({ dimensions: 64 });
    const plain = createKnowledgeBase({ embedder, store, cache });
    const reranked = createKnowledgeBase({ embedder, store, cache, reranker: offlineReranker() });
    await plain.ingest(acme, articles);
    await reranked.ingest(acme, articles);
    expect((await plain.retrieve(acme, 'export all contacts as CSV')).cached).toBe(false);
    expect((await reranked.retrieve(acme, 'export all contacts as CSV')).cached).toBe(false);
    expect((await reranked.retrieve(acme, 'export all contacts as CSV')).cached).toBe(true);
  });

  it('one caller aborting does not end the search another caller is waiting on', async () => {
    const kb = createKnowledgeBase({ embedder: mockEmbedder({ dimensions: 64 }) });
    await kb.ingest(acme, articles);
    const controller = new AbortController();
    const first = kb.retrieve(acme, 'single sign-on setup', { signal: controller.signal });
    const second = kb.retrieve(acme, 'single sign-on setup');
    controller.abort();
    await expect(first).rejects.toSatisfy((error) => AbortError.isInstance(error));
    expect((await second).passages.length).toBeGreaterThan(0);
  });
});
