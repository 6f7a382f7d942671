import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractiveChatModel } from '@neptune/core/offline';
import { describeWithService, randomTestId, startOpenAICompatibleServer } from '@neptune/core/testing';
import { createAdminHandlers } from '@neptune/observability';
import { loadFolder } from '@neptune/rag/loaders';
import { createIngestQueue } from '@neptune/rag/queue';
import { describe, expect, it, vi } from 'vitest';
import { ask, formatCitations } from '../src/ask';
import { chooseChatModel } from '../src/chat-model';
import { enqueueFolder } from '../src/enqueue-folder';
import { evaluateRetrieval, loadLabelledQuestions } from '../src/evaluate-retrieval';
import { parseIngestArguments } from '../src/ingest-arguments';
import { ingestFolder, SAMPLE_DOCS_FOLDER } from '../src/ingest-folder';
import { loadKnowledgeBase } from '../src/knowledge-base';
import { METRICS_QUESTIONS, runMetrics } from '../src/metrics-run';
import { serveHandlers } from '../src/serve-handlers';
import { buildTwoPackagePipeline } from '../src/two-package-pipeline';

const exampleRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('ingest-folder', () => {
  it('reads markdown, text and JSON-lines files, sub-folders included, with stable ids', async () => {
    const { documents, failures } = await loadFolder(SAMPLE_DOCS_FOLDER);
    expect(failures).toEqual([]);
    const byId = new Map(documents.map((document) => [document.id, document]));
    expect(documents).toHaveLength(8);
    expect(byId.get('integrations/webhooks.md')).toMatchObject({ title: 'Webhooks', format: 'markdown' });
    expect(byId.get('troubleshooting.txt')).toMatchObject({ title: 'Troubleshooting', format: 'text' });
    expect(byId.get('release-notes.jsonl#release-2024-10')?.title).toBe('Release notes: October');
  });

  it('runs inline unless told --enqueue (or --queue), with the folder taken from where the command was typed', () => {
    expect(parseIngestArguments([], '/home/me')).toEqual({
      folder: SAMPLE_DOCS_FOLDER,
      question: undefined,
      enqueue: false,
    });
    expect(parseIngestArguments(['--', '--enqueue', 'notes', 'a question'], '/home/me')).toEqual({
      folder: '/home/me/notes',
      question: 'a question',
      enqueue: true,
    });
    expect(parseIngestArguments(['notes', '--queue'], '/home/me').enqueue).toBe(true);
  });

  it('draws the bar from the progress events, and a re-run embeds only what changed', async () => {
    const lines: string[] = [];
    let drawn = '';
    const result = await ingestFolder(SAMPLE_DOCS_FOLDER, {
      write: (line) => lines.push(line),
      output: { isTTY: true, write: (text: string) => (drawn += text) },
    });

    expect(result.documents).toBe(8);
    expect(result.first.added).toHaveLength(8);
    expect(result.first.embeddingsComputed).toBe(result.first.chunksWritten);
    expect(result.first.chunksWritten).toBeGreaterThan(8);
    expect(result.again.unchanged).toHaveLength(8);
    expect(result.again.embeddingsComputed).toBe(0);
    expect(result.again.chunksWritten).toBe(0);
    expect(result.afterEdit.updated).toEqual([result.editedId]);
    expect(result.afterEdit.embeddingsComputed).toBeGreaterThan(0);
    expect(result.afterEdit.embeddingsComputed).toBeLessThan(result.first.embeddingsComputed);

    // The first run reported several embedding batches, then `done` with every document and chunk counted.
    const firstRun = result.progress.slice(
      0,
      result.progress.findIndex((event) => event.phase === 'done') + 1,
    );
    expect(firstRun.filter((event) => event.phase === 'embedding').length).toBeGreaterThan(1);
    expect(firstRun.at(-1)).toMatchObject({ documentsDone: 8, documentsTotal: 8 });
    expect(firstRun.at(-1)!.chunksEmbedded).toBe(result.first.chunksWritten);
    expect(drawn).toContain('█');
    expect(drawn).toContain('8/8 done');
    expect(lines.join('\n')).toContain('Same folder again: 0 added, 0 updated, 8 unchanged');
  });
});

describeWithService('REDIS_URL', 'ingest-folder --enqueue', (redisUrl) => {
  it('enqueues the folder on BullMQ; the worker indexes every document and reports progress', async () => {
    const prefix = randomTestId('pipeline');
    const lines: string[] = [];
    try {
      const result = await enqueueFolder(SAMPLE_DOCS_FOLDER, {
        redisUrl,
        prefix,
        write: (line) => lines.push(line),
      });
      expect(result.jobIds).toHaveLength(3); // 8 documents, 3 per job
      expect(result.completed).toBe(3);
      expect(result.deadLetters).toEqual([]);
      expect(result.progress.some((line) => line.endsWith('done 3/3'))).toBe(true);
      expect(await result.knowledgeBase.documentIds(result.scope)).toHaveLength(8);
      const { passages } = await result.knowledgeBase.retrieve(result.scope, 'verify a webhook signature');
      expect(passages[0]!.citation.documentId).toBe('integrations/webhooks.md');
    } finally {
      const queue = await createIngestQueue({ connection: redisUrl, prefix });
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });
});

describe('ask', () => {
  it('answers from the shipped knowledge base and cites the article that holds the answer', async () => {
    const streamed: string[] = [];
    const result = await ask('Can I get a refund on an annual plan?', {
      model: extractiveChatModel(),
      onText: (text) => streamed.push(text),
    });

    expect(result.citations[0]).toMatchObject({
      marker: 1,
      documentId: 'billing-refunds',
      title: 'Refund policy',
    });
    expect(result.cited).toContain(1);
    expect(result.answer).toContain('refunded in full within 30 days');
    expect(streamed.length).toBeGreaterThan(1);
    expect(streamed.join('')).toBe(result.answer);
    const refund = loadKnowledgeBase().find((article) => article.id === 'billing-refunds')!;
    expect(result.citations[0]).toMatchObject({ start: 0, end: refund.text.length });
    expect(formatCitations(result)[0]).toBe(
      `[1] Refund policy (billing-refunds, characters 0-${refund.text.length})`,
    );
  });
});

describe('ask with OPENAI_API_KEY', () => {
  it('streams the answer of openaiChatModel, prompted with the numbered passages', async () => {
    const server = await startOpenAICompatibleServer();
    vi.stubEnv('OPENAI_API_KEY', 'test-key');
    vi.stubEnv('OPENAI_BASE_URL', server.url);
    try {
      server.enqueue({ kind: 'chat', content: 'Yes: annual plans are refunded in full within 30 days [1].' });
      const model = await chooseChatModel();
      expect(`${model.provider}/${model.model}`).toBe('openai/gpt-4o-mini');
      const result = await ask('Can I get a refund on an annual plan?', { model });
      expect(result.answer).toBe('Yes: annual plans are refunded in full within 30 days [1].');
      expect(result.cited).toEqual([1]);
      const body = server.requests.at(-1)!.body as { stream: boolean; messages: Array<{ content: string }> };
      expect(body.stream).toBe(true);
      expect(body.messages[0]!.content).toContain('[1] Refund policy');
    } finally {
      vi.unstubAllEnvs();
      await server.close();
    }
  });
});

/** The `@neptune/*` packages a file imports, following its local imports too. */
function neptunePackagesOf(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, fromClause, dynamic] of source.matchAll(
    /^(?:import|export)[^'"]*from\s+'([^']+)'|import\('([^']+)'\)/gm,
  )) {
    const specifier = fromClause ?? dynamic;
    if (specifier!.startsWith('@neptune/')) packages.add(specifier!.split('/').slice(0, 2).join('/'));
    else if (specifier!.startsWith('.'))
      for (const name of neptunePackagesOf(`${resolve(dirname(file), specifier!)}.ts`, seen))
        packages.add(name);
  }
  return packages;
}

describe('custom-pipeline', () => {
  it('is built from exactly two Neptune packages', () => {
    expect([...neptunePackagesOf(join(exampleRoot, 'custom-pipeline.ts'))].sort()).toEqual([
      '@neptune/core',
      '@neptune/rag',
    ]);
    // The check itself sees further imports: the ask script reaches three more packages.
    expect(neptunePackagesOf(join(exampleRoot, 'ask.ts')).size).toBeGreaterThan(2);
  });

  it('retrieves with citations and neighbours, wired by hand', async () => {
    const { retriever, scope, chunks } = await buildTwoPackagePipeline(loadKnowledgeBase());
    expect(chunks).toBeGreaterThan(12);
    const result = await retriever.retrieve(scope, 'What happens if we exceed the API rate limit?', {
      topK: 3,
    });
    expect(result.legs.sort()).toEqual(['keyword', 'vector']);
    const [top] = result.passages;
    expect(top!.citation).toMatchObject({ documentId: 'api-rate-limits', title: 'API rate limits' });
    expect(top!.chunkIds.length).toBeGreaterThan(1);
    expect(top!.text).toContain('HTTP 429');
  });
});

describe('evaluate', () => {
  it('scores keyword-only, vector-only and hybrid retrieval on the labelled questions', async () => {
    expect(loadLabelledQuestions().questions.size).toBe(20);
    const rows = await evaluateRetrieval();
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
    expect(Object.keys(byName)).toEqual(['keyword only (BM25)', 'vector only (offline)', 'hybrid (default)']);
    for (const row of rows)
      for (const value of [row.ndcgAt10, row.recallAt3, row.mrrAt10]) expect(value).toBeGreaterThan(0.5);
    expect(byName['hybrid (default)']!.ndcgAt10).toBeGreaterThanOrEqual(
      byName['keyword only (BM25)']!.ndcgAt10,
    );
  });
});

describe('metrics', () => {
  it('counts every request, the result cache hits and the model tokens, the offline model at $0', async () => {
    const { summary, modelLatency, store } = await runMetrics();

    expect(summary.requests.total).toBe(METRICS_QUESTIONS.length);
    expect(summary.requests.failed).toBe(0);
    expect(summary.requests.latency.p95Ms).toBeGreaterThan(0);
    // Three distinct questions: three misses, then the three repeats are hits.
    expect(summary.cache).toMatchObject({ hits: 3, misses: 3, hitRate: 0.5 });
    expect(summary.tokens.input).toBeGreaterThan(0);
    expect(summary.tokens.output).toBeGreaterThan(0);
    // The offline model runs in the process: priced at $0, so the total is complete.
    expect(summary.cost.unpricedModels).toEqual([]);
    expect(summary.cost.complete).toBe(true);
    expect(summary.cost.models.find((model) => model.model === 'extractive')?.costMicroUsd).toBe(0);
    expect(modelLatency.count).toBe(METRICS_QUESTIONS.length);

    const handlers = createAdminHandlers({ store, authorize: () => ({ admin: true, allWorkspaces: true }) });
    const server = await serveHandlers({ '/': handlers.dashboard }, 0);
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/?format=json`);
      expect(response.status).toBe(200);
      const data = (await response.json()) as { report: { summary: { requests: { total: number } } } };
      expect(data.report.summary.requests.total).toBe(METRICS_QUESTIONS.length);
      expect((await fetch(`http://127.0.0.1:${port}/nowhere`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
