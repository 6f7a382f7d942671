import { createAssistant } from '@neptune/assistant';
import { createCache } from '@neptune/cache';
import { createContextGatherer } from '@neptune/context';
import { defaultTelemetry, type TokenUsage, validateScope } from '@neptune/core';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { createKnowledgeBase } from '@neptune/rag';
import { demoContextSources } from './demo-context';
import { type DemoEnvironment, demoStores } from './demo-stores';
import { loadKnowledgeBase } from './knowledge-base';

export const DEMO_QUESTIONS = [
  'Can I get a refund after cancelling our annual plan?',
  'We moved to Okta last week. How do we set up single sign-on with Okta?',
  'What happens when we send too many API requests?',
];

/** The stages of one request, in the order they run (the first three in parallel). */
export const STAGES = [
  'context sources',
  'retrieval',
  'memory recall',
  'context fetch (all three)',
  'assembly',
  'answer: first token',
  'answer: complete',
  'remember (after the answer)',
] as const;
export type Stage = (typeof STAGES)[number];

export interface DemoTurn {
  readonly question: string;
  readonly answer: string;
  readonly citations: ReadonlyArray<{
    readonly marker: number;
    readonly documentId: string;
    readonly title: string;
  }>;
  /** Top retrieved documents, best first. */
  readonly retrieved: readonly string[];
  readonly retrievalCached: boolean;
  readonly contextCacheHits: number;
  readonly memory: { readonly messages: number; readonly facts: readonly string[] };
  readonly promptTokens: number;
  readonly unprunedTokens: number;
  readonly stagesMs: Readonly<Record<Stage, number>>;
}

export interface DemoResult {
  readonly documents: number;
  readonly backends: readonly string[];
  readonly model: string;
  readonly turns: readonly DemoTurn[];
  readonly cache: { readonly hits: number; readonly lookups: number };
  readonly tokens: { readonly prompt: number; readonly unpruned: number; readonly model: TokenUsage };
}

export interface DemoOptions {
  /** Which services to use; default `process.env` (nothing set: everything embedded). */
  readonly env?: DemoEnvironment | undefined;
  readonly write?: ((line: string) => void) | undefined;
  /** The tenant the demo writes under; it is cleared first so every run starts the same. */
  readonly workspaceId?: string | undefined;
}

function wrap(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\n+/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + word.length + 1 > width) {
        lines.push(indent + line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    if (line !== '') lines.push(indent + line);
  }
  return lines;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The README demo: a help-desk assistant answering a customer through the whole pipeline. Each request
 * gathers app context (account, tickets, calendar) through the cache, retrieves passages (hybrid BM25 +
 * vectors), recalls the conversation's memory, all three in parallel; assembles them into one prompt within
 * a token budget; streams an answer with citations; and remembers the turn. Then it prints the metrics.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const write = options.write ?? console.log;
  const env = options.env ?? process.env;
  const stores = await demoStores(env);
  try {
    const workspace = validateScope({ workspaceId: options.workspaceId ?? 'neptune-demo' });
    const scope = validateScope({ workspaceId: workspace.workspaceId, userId: 'ana' });
    const cache = createCache({ store: stores.keyValue });
    const knowledgeBase = createKnowledgeBase({
      embedder: stores.embedder,
      vectorStore: stores.vectorStore,
      keywordIndex: stores.keywordIndex,
      store: stores.keyValue,
      cache,
    });
    // Loaded once at start-up and shared, rather than by the first request's recall and assembly.
    const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
    const memory = createMemory({
      // The demo's user has agreed to session memory; a real app decides what applies before a user chooses.
      consentDefaults: 'opt-out',
      ...stores.conversations,
      keyValue: stores.keyValue,
      tokenizer,
    });
    const gatherer = createContextGatherer({ sources: demoContextSources(Date.now()), cache });

    write(`Neptune demo: a help-desk assistant for workspace "${scope.workspaceId}", user "${scope.userId}"`);
    for (const line of stores.description) write(`  ${line}`);

    // Every run starts from the same state, whatever a previous run left in a shared store.
    await Promise.all([
      stores.keyValue.clear(workspace),
      knowledgeBase.vectorStore.clear(workspace),
      knowledgeBase.keywordIndex?.clear(workspace),
      memory.eraseWorkspace(workspace),
    ]);

    const documents = loadKnowledgeBase();
    const ingestStarted = performance.now();
    // The help articles are the workspace's: every user's requests search them.
    const report = await knowledgeBase.ingest(workspace, documents);
    const ingestMs = performance.now() - ingestStarted;
    const again = await knowledgeBase.ingest(workspace, documents);
    write(
      `\nIngested ${report.added.length} help-centre articles into ${report.chunksWritten} chunks in ${ingestMs.toFixed(0)} ms; ` +
        `running it again: ${again.unchanged.length} unchanged, ${again.embeddingsComputed} embeddings computed.`,
    );

    // The whole request flow is one object: context, retrieval and recall in parallel, assembly to the
    // budget, the streamed answer with citations, and the turn remembered afterwards.
    const assistant = createAssistant({
      model: stores.chatModel,
      knowledge: knowledgeBase,
      gatherer,
      memory,
      tokenizer,
      retrieve: { topK: 6 },
      recallTokens: 400,
      budget: { maxTokens: 1_200 },
      maxOutputTokens: 400,
      measureUnpruned: true,
    });

    let cacheHits = 0;
    let cacheLookups = 0;
    const unsubscribe = defaultTelemetry().subscribe((event) => {
      if (event.type === 'cache-hit' || event.type === 'cache-miss') cacheLookups++;
      if (event.type === 'cache-hit') cacheHits++;
    });

    const conversationId = 'demo-conversation';
    const turns: DemoTurn[] = [];
    const modelUsage = { inputTokens: 0, outputTokens: 0 };
    try {
      for (const question of [...DEMO_QUESTIONS, DEMO_QUESTIONS[0]!]) {
        const result = await assistant.respond({ scope, conversationId, message: question });
        const answerStarted = performance.now();
        const answer = await result.text;
        const answered = performance.now();
        const outcome = await result.finished;
        const { timings, assembled } = result.prepared;
        const gathered = result.prepared.context!;
        const retrieved = result.prepared.retrieval!;
        const recalled = result.prepared.memory!;
        const stages: Record<Stage, number> = {
          'context sources': timings.contextMs ?? 0,
          retrieval: timings.knowledgeMs ?? 0,
          'memory recall': timings.memoryMs ?? 0,
          'context fetch (all three)': timings.totalMs - timings.assembleMs,
          assembly: timings.assembleMs,
          'answer: first token': (outcome.timeToFirstTokenMs ?? timings.totalMs) - timings.totalMs,
          'answer: complete': answered - answerStarted,
          'remember (after the answer)': performance.now() - answered,
        };
        modelUsage.inputTokens += outcome.usage?.inputTokens ?? 0;
        modelUsage.outputTokens += outcome.usage?.outputTokens ?? 0;

        const cited = assembled.citations.filter((citation) => outcome.cited.includes(citation.marker));
        const turn: DemoTurn = {
          question,
          answer,
          citations: cited.map((citation) => ({
            marker: citation.marker,
            documentId: citation.documentId ?? citation.passageId,
            title: citation.title ?? citation.documentId ?? citation.passageId,
          })),
          retrieved: retrieved.passages.map((passage) => passage.citation.documentId),
          retrievalCached: retrieved.cached,
          contextCacheHits: gathered.cacheHits,
          memory: { messages: recalled.messages.length, facts: recalled.facts.map((fact) => fact.text) },
          promptTokens: assembled.tokens.total,
          unprunedTokens: assembled.unprunedTokens ?? assembled.tokens.total,
          stagesMs: stages,
        };
        turns.push(turn);
        for (const entry of result.prepared.degraded) write(`   degraded: ${entry.part} (${entry.reason})`);

        write(`\nQ: ${question}`);
        write(
          `   context: ${gathered.items.length} items from ${gathered.sources.length} sources (${turn.contextCacheHits} from cache)` +
            ` · retrieval: ${retrieved.passages.length} passages${retrieved.cached ? ' (cached)' : ''}` +
            ` · memory: ${turn.memory.messages} messages, ${turn.memory.facts.length} ${turn.memory.facts.length === 1 ? 'fact' : 'facts'}` +
            ` · prompt: ${turn.promptTokens} tokens (${turn.unprunedTokens} unpruned)`,
        );
        for (const fact of turn.memory.facts) write(`   remembered: ${fact}`);
        for (const line of wrap(answer, '   ')) write(line);
        for (const citation of turn.citations)
          write(`   [${citation.marker}] ${citation.title} (${citation.documentId})`);
      }
    } finally {
      unsubscribe();
    }

    const promptTokens = turns.reduce((sum, turn) => sum + turn.promptTokens, 0);
    const unprunedTokens = turns.reduce((sum, turn) => sum + turn.unprunedTokens, 0);
    write(`\nLatency per stage over ${turns.length} requests (ms):`);
    write(`   ${'stage'.padEnd(30)} ${'first'.padStart(8)} ${'median'.padStart(8)} ${'max'.padStart(8)}`);
    for (const stage of STAGES) {
      const values = turns.map((turn) => turn.stagesMs[stage] ?? 0);
      write(
        `   ${stage.padEnd(30)} ${values[0]!.toFixed(1).padStart(8)} ${median(values).toFixed(1).padStart(8)} ${Math.max(
          ...values,
        )
          .toFixed(1)
          .padStart(8)}`,
      );
    }
    const hitRate = cacheLookups === 0 ? 0 : cacheHits / cacheLookups;
    write(
      `\nCache: ${cacheHits} hits of ${cacheLookups} lookups (${(hitRate * 100).toFixed(0)}%): context sources and retrieval results.`,
    );
    write(
      `Tokens: ${promptTokens} prompt tokens sent, against ${unprunedTokens} with every item, passage and turn in full: ` +
        `${unprunedTokens - promptTokens} saved (${(((unprunedTokens - promptTokens) / Math.max(1, unprunedTokens)) * 100).toFixed(0)}%).`,
    );
    write(
      `Model: ${stores.chatModel.provider}/${stores.chatModel.model}, ${modelUsage.inputTokens} input and ${modelUsage.outputTokens} output tokens` +
        (stores.chatModel.provider === 'offline' ? ' (estimated; no model was called).' : '.'),
    );
    return {
      documents: documents.length,
      backends: stores.description,
      model: `${stores.chatModel.provider}/${stores.chatModel.model}`,
      turns,
      cache: { hits: cacheHits, lookups: cacheLookups },
      tokens: { prompt: promptTokens, unpruned: unprunedTokens, model: modelUsage },
    };
  } finally {
    await stores.close();
  }
}
