import { defaultTelemetry, dot, validateScope } from '@neptune/core';
import { offlineEmbedder } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createKnowledgeBase } from '@neptune/rag';
import { type KnowledgeDocument, loadKnowledgeBase, loadSciFactSample } from './knowledge-base';

export interface DemoAnswer {
  readonly question: string;
  readonly hits: ReadonlyArray<{ readonly id: string; readonly title: string; readonly score: number }>;
}

export interface DemoResult {
  readonly documents: number;
  readonly tokens: { readonly o200k: number; readonly cl100k: number };
  readonly answers: readonly DemoAnswer[];
  readonly timingsMs: Readonly<Record<string, number>>;
}

export const DEMO_QUESTIONS = [
  'Can I get my money back after cancelling a yearly subscription?',
  'How do we set up single sign-on with Okta?',
  'What happens when we send too many API requests?',
];

function timed<T>(timings: Record<string, number>, name: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  timings[name] = performance.now() - started;
  return result;
}

function nearest(
  query: Float32Array,
  vectors: Float32Array[],
  documents: KnowledgeDocument[],
  count: number,
) {
  return vectors
    .map((vector, index) => ({ index, score: dot(query, vector) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .map(({ index, score }) => ({ id: documents[index]!.id, title: documents[index]!.title, score }));
}

/** The README demo at this stage: tokenizer and offline embeddings over a real document set, no keys. */
export async function runDemo(write: (line: string) => void = console.log): Promise<DemoResult> {
  const timings: Record<string, number> = {};
  const scope = validateScope({ workspaceId: 'acme', userId: 'ana' });
  const documents = loadKnowledgeBase();
  write(
    `Neptune demo (offline, scope ${scope.workspaceId}/${scope.userId}): ${documents.length} help-centre articles\n`,
  );

  const [o200k, cl100k] = await Promise.all([
    createTokenizer({ encoding: 'o200k_base' }),
    createTokenizer({ encoding: 'cl100k_base' }),
  ]);
  const texts = documents.map((document) => `${document.title}\n${document.text}`);
  const tokens = timed(timings, 'count tokens', () => ({
    o200k: texts.reduce((sum, text) => sum + o200k.count(text), 0),
    cl100k: texts.reduce((sum, text) => sum + cl100k.count(text), 0),
  }));
  write(`Tokens: ${tokens.o200k} (o200k_base, GPT-4o) / ${tokens.cl100k} (cl100k_base, GPT-4)`);
  write(`First article cut to 20 tokens: "${o200k.truncate(texts[0]!, 20)}"\n`);

  const embedder = offlineEmbedder();
  const knowledgeBase = createKnowledgeBase({ embedder });
  let cacheHits = 0;
  let cacheLookups = 0;
  const unsubscribe = defaultTelemetry().subscribe((event) => {
    if (event.type === 'cache-hit' || event.type === 'cache-miss') cacheLookups++;
    if (event.type === 'cache-hit') cacheHits++;
  });
  const started = performance.now();
  const report = await knowledgeBase.ingest(scope, documents);
  timings['ingest (chunk, embed, index)'] = performance.now() - started;
  const again = await knowledgeBase.ingest(scope, documents);
  write(
    `Ingested ${report.added.length} articles into ${report.chunksWritten} chunks; re-ingesting: ${again.unchanged.length} unchanged, ${again.embeddingsComputed} embedding calls.\n`,
  );

  const answers: DemoAnswer[] = [];
  for (const question of [...DEMO_QUESTIONS, DEMO_QUESTIONS[0]!]) {
    const questionStarted = performance.now();
    const result = await knowledgeBase.retrieve(scope, question, { topK: 3, neighbours: 0 });
    timings[`retrieve${result.cached ? ' (cached)' : ''}: ${question.slice(0, 18)}…`] =
      performance.now() - questionStarted;
    if (result.cached) continue;
    const hits = result.passages.map((passage) => ({
      id: passage.citation.documentId,
      title: passage.citation.title ?? passage.citation.documentId,
      score: passage.score,
    }));
    answers.push({ question, hits });
    write(`Q: ${question}  [legs: ${result.legs.join(' + ')}]`);
    for (const hit of hits) write(`   ${hit.score.toFixed(3)}  ${hit.title} [${hit.id}]`);
  }
  unsubscribe();

  const sample = loadSciFactSample(1000);
  if (sample) {
    const sampleStarted = performance.now();
    const sampleVectors = await embedder.embed(
      sample.map((document) => `${document.title}\n${document.text}`),
    );
    timings['embed 1,000 SciFact abstracts'] = performance.now() - sampleStarted;
    const [query] = await embedder.embed(['vitamin D supplementation and fracture risk'], {
      purpose: 'query',
    });
    write('\nQ (SciFact, 1,000 abstracts): vitamin D supplementation and fracture risk');
    for (const hit of nearest(query!, sampleVectors, sample, 3))
      write(`   ${hit.score.toFixed(3)}  ${hit.title.slice(0, 90)}`);
  }

  write(
    `\nCache: ${cacheHits} hits of ${cacheLookups} lookups (the repeated question was answered from the result cache).`,
  );
  write('\nTimings:');
  for (const [name, ms] of Object.entries(timings)) write(`   ${name.padEnd(32)} ${ms.toFixed(1)} ms`);
  write(
    `\nEmbedder: ${embedder.provider}/${embedder.model} (no key, no network). Set OPENAI_API_KEY and use @neptune/core/openai for real embeddings.`,
  );
  return { documents: documents.length, tokens, answers, timingsMs: timings };
}
