/**
 * `pnpm bench assistant`: what `@neptune/assistant`'s request flow costs. `prepare()` (gather ∥ retrieve ∥
 * recall → assemble) against the same flow wired by hand, on embedded defaults and on Redis + PostgreSQL
 * (REDIS_URL, DATABASE_URL), with SciFact as the knowledge base, three app-context sources and a 40-turn
 * conversation; and time to first token through the handler with the offline model. Flags:
 * `--queries=N` (SciFact test queries, default 150), `--documents=N` (corpus size, default all 5,183).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAssistant } from '@neptune/assistant';
import { type Cache, createCache } from '@neptune/cache';
import { redisKeyValueStore } from '@neptune/cache/redis';
import {
  assembleContext,
  type ContextGatherer,
  createContextGatherer,
  defineContextSource,
} from '@neptune/context';
import { createTelemetryChannel, type KeyValueStore, type Scope, type Tokenizer } from '@neptune/core';
import { extractiveChatModel } from '@neptune/core/offline';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory, type Memory } from '@neptune/memory';
import { drizzleMemoryStores, migrate } from '@neptune/memory/drizzle';
import { createKnowledgeBase, type KnowledgeBase } from '@neptune/rag';
import { memoryVectorStore } from '@neptune/rag/memory';
import { postgresKeywordIndex } from '@neptune/rag/pgvector';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { z } from 'zod';
import { defineBenchmark } from '../lib/benchmark';
import { summarize } from '../lib/measure';
import { documentText, readSciFactCorpus } from '../lib/scifact';

function flag(name: string, fallback: number): number {
  const argument = process.argv.find((value) => value.startsWith(`--${name}=`));
  const value = argument === undefined ? Number.NaN : Number(argument.slice(name.length + 3));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const WORKSPACE = 'bench-assistant';
const USER: Scope = { workspaceId: WORKSPACE, userId: 'ana' };
const CONVERSATION = 'forty-turns';

/** Three app-context sources as an app has them: an account, its open tickets, the week's calendar. */
function contextSources() {
  const now = Date.now();
  const account = defineContextSource({
    kind: 'account',
    scope: 'workspace',
    ttlMs: 5 * 60_000,
    schema: z.object({ plan: z.string(), seats: z.number() }),
    load: async () => [{ plan: 'Enterprise', seats: 40 }],
    toItem: (row) => ({ id: 'account', type: 'account', title: `${row.plan} plan, ${row.seats} seats` }),
  });
  const tickets = defineContextSource({
    kind: 'tickets',
    scope: 'user',
    ttlMs: 60_000,
    schema: z.object({ id: z.string(), subject: z.string(), body: z.string(), updatedAt: z.date() }),
    load: async () =>
      Array.from({ length: 20 }, (_, index) => ({
        id: `t${index}`,
        subject: `Ticket ${index}: question about cell biology assay ${index}`,
        body: 'The customer asks how the results were measured and whether the protein levels were normalised.',
        updatedAt: new Date(now - index * 3_600_000),
      })),
    toItem: (row) => ({
      id: row.id,
      type: 'ticket',
      title: row.subject,
      detail: row.body,
      updatedAt: row.updatedAt,
    }),
  });
  const calendar = defineContextSource({
    kind: 'calendar',
    scope: 'user',
    ttlMs: 2 * 60_000,
    schema: z.object({ id: z.string(), title: z.string(), startsAt: z.date() }),
    load: async () =>
      Array.from({ length: 8 }, (_, index) => ({
        id: `e${index}`,
        title: `Review meeting ${index}`,
        startsAt: new Date(now + index * 6 * 3_600_000),
      })),
    toItem: (row) => ({ id: row.id, type: 'event', title: row.title, dueAt: row.startsAt }),
  });
  return [account, tickets, calendar];
}

interface Setup {
  readonly name: string;
  readonly knowledge: KnowledgeBase;
  readonly gatherer: ContextGatherer;
  readonly memory: Memory;
  readonly tokenizer: Tokenizer;
  close(): Promise<void>;
}

async function embeddedSetup(tokenizer: Tokenizer): Promise<Setup> {
  const cache = createCache();
  return {
    name: 'embedded defaults (memory)',
    knowledge: createKnowledgeBase({ cache }),
    gatherer: createContextGatherer({ sources: contextSources(), cache }),
    memory: createMemory({ consentDefaults: 'opt-out', tokenizer }),
    tokenizer,
    close: async () => {},
  };
}

async function serviceSetup(tokenizer: Tokenizer, databaseUrl: string, redisUrl: string): Promise<Setup> {
  const run = `bench_assistant_${Date.now().toString(36)}`;
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await admin.query(`create schema ${run}`);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: `-c search_path=${run}` });
  // The bench pins an older @opentelemetry/api for its OpenTelemetry benchmark, which gives it a second
  // copy of drizzle-orm's types: the same database, typed as the packages' copy.
  const db = drizzle(pool) as unknown as Parameters<typeof migrate>[0];
  await migrate(db);
  const keyValue = redisKeyValueStore({ url: redisUrl, prefix: `${run}:` });
  const cache: Cache = createCache({ store: keyValue });
  const keywordIndex = postgresKeywordIndex({ db });
  await keywordIndex.ensureSchema();
  // Debian's PostgreSQL has no pgvector: the vectors stay in memory, the keyword leg is the Postgres one.
  return {
    name: 'Redis + PostgreSQL (keywords, memory)',
    knowledge: createKnowledgeBase({
      vectorStore: memoryVectorStore({ dimensions: 1536 }),
      keywordIndex,
      store: keyValue as KeyValueStore,
      cache,
    }),
    gatherer: createContextGatherer({ sources: contextSources(), cache }),
    memory: createMemory({ consentDefaults: 'opt-out', ...drizzleMemoryStores({ db }), keyValue, tokenizer }),
    tokenizer,
    async close() {
      await keyValue.clear({ workspaceId: WORKSPACE });
      await keyValue.close();
      await pool.end();
      await admin.query(`drop schema ${run} cascade`);
      await admin.end();
    },
  };
}

const ms = (ns: number) => Math.round((ns / 1e6) * 1000) / 1000;

/** Median of paired differences: how much the assistant adds to the same request wired by hand. */
function pairedMedian(left: readonly number[], right: readonly number[]): number {
  const differences = left.map((value, index) => value - right[index]!).sort((a, b) => a - b);
  return differences[Math.floor(differences.length / 2)]!;
}

async function measureSetup(
  setup: Setup,
  corpus: ReturnType<typeof readSciFactCorpus>,
  queries: string[],
  log: (m: string) => void,
) {
  const workspace = { workspaceId: WORKSPACE };
  const ingestStarted = performance.now();
  await setup.knowledge.ingest(
    workspace,
    corpus.map((document) => ({ id: document.id, title: document.title, text: documentText(document) })),
  );
  log(
    `assistant: ${setup.name}: ingested ${corpus.length} documents in ${Math.round(performance.now() - ingestStarted)} ms`,
  );
  for (let turn = 0; turn < 40; turn++) {
    await setup.memory.remember(USER, CONVERSATION, {
      user: queries[turn % queries.length]!,
      assistant: `Turn ${turn}: the passages say the measurements were normalised [1].`,
    });
  }
  const telemetry = createTelemetryChannel(); // nobody listens, as in an app without observability
  const assistant = createAssistant({
    model: extractiveChatModel({ telemetry }),
    knowledge: setup.knowledge,
    gatherer: setup.gatherer,
    memory: setup.memory,
    tokenizer: setup.tokenizer,
    telemetry,
    rewrite: false, // SciFact's questions stand alone; the hand-wired flow has no rewriting either
  });
  const retrieveOptions = { topK: 4, minRelativeScore: 0.5 };
  const handWired = async (query: string) => {
    const [gathered, retrieved, recalled] = await Promise.all([
      setup.gatherer.gather(USER, { query }),
      setup.knowledge.retrieve(workspace, query, retrieveOptions),
      setup.memory.recall(USER, CONVERSATION, { maxTokens: 1_200 }),
    ]);
    const assembleStarted = process.hrtime.bigint();
    await assembleContext({
      query,
      items: gathered.items,
      passages: retrieved.passages,
      memory: recalled,
      budget: { maxTokens: 6_000 },
      tokenizer: setup.tokenizer,
      scope: USER,
      telemetry,
    });
    return Number(process.hrtime.bigint() - assembleStarted);
  };
  const prepare = (query: string) =>
    assistant.prepare({ scope: USER, conversationId: CONVERSATION, message: query });

  // Warm: every query once through each path, so both measure warm caches and compiled code.
  for (const query of queries) {
    await handWired(query);
    await prepare(query);
  }
  const wiredNs: number[] = [];
  const prepareNs: number[] = [];
  const assembleNs: number[] = [];
  for (const [index, query] of queries.entries()) {
    // Alternate which goes first, so neither always runs on the other's warm-up.
    const order = index % 2 === 0 ? ['wired', 'prepare'] : ['prepare', 'wired'];
    for (const which of order) {
      const started = process.hrtime.bigint();
      if (which === 'wired') assembleNs.push(await handWired(query));
      else await prepare(query);
      (which === 'wired' ? wiredNs : prepareNs).push(Number(process.hrtime.bigint() - started));
    }
  }

  // Time to first token through the handler: request in, first text chunk of the stream out.
  const handler = assistant.handler({ resolveScope: () => USER });
  const firstTokenNs: number[] = [];
  for (const query of queries.slice(0, 50)) {
    const started = process.hrtime.bigint();
    const response = await handler(
      new Request('http://localhost/api/chat', {
        method: 'POST',
        body: JSON.stringify({ message: query, conversationId: 'ttft' }),
      }),
    );
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    let recorded = false;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      seen += decoder.decode(read.value, { stream: true });
      if (!recorded && seen.includes('"type":"text-delta"')) {
        firstTokenNs.push(Number(process.hrtime.bigint() - started));
        recorded = true;
      }
    }
  }
  const wired = summarize(wiredNs);
  const prepared = summarize(prepareNs);
  const assembled = summarize(assembleNs);
  const firstToken = summarize(firstTokenNs);
  return {
    setup: setup.name,
    wired,
    prepared,
    assembled,
    firstToken,
    overheadMedianMs: ms(pairedMedian(prepareNs, wiredNs)),
  };
}

export default defineBenchmark({
  name: 'assistant',
  description:
    'The assistant request flow: prepare() against the same flow wired by hand, embedded and on Redis + PostgreSQL, and time to first token through the handler',
  async run(context) {
    const corpus = readSciFactCorpus(context.dataDirectory).slice(0, flag('documents', 5_183));
    const queries = readFileSync(join(context.dataDirectory, 'scifact', 'queries.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { text: string }).text)
      .slice(0, flag('queries', 150));
    const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
    const setups: Array<() => Promise<Setup>> = [() => embeddedSetup(tokenizer)];
    const databaseUrl = process.env.DATABASE_URL;
    const redisUrl = process.env.REDIS_URL;
    if (databaseUrl && redisUrl) setups.push(() => serviceSetup(tokenizer, databaseUrl, redisUrl));
    else context.log('assistant: REDIS_URL and DATABASE_URL not both set: embedded defaults only');

    const results = [];
    for (const create of setups) {
      const setup = await create();
      try {
        results.push(await measureSetup(setup, corpus, queries, context.log));
      } finally {
        await setup.close();
      }
    }
    const failures: string[] = [];
    for (const result of results) {
      if (result.overheadMedianMs >= 0.2)
        failures.push(
          `${result.setup}: the assistant adds ${result.overheadMedianMs} ms at p50 (goal < 0.2 ms)`,
        );
      if (ms(result.assembled.p95Ns) > 3)
        failures.push(`${result.setup}: assembleContext p95 ${ms(result.assembled.p95Ns)} ms (goal ≤ 3 ms)`);
    }
    const services = results.find((result) => result.setup.startsWith('Redis'));
    if (services && ms(services.prepared.p95Ns) > 25)
      failures.push(
        `Redis + PostgreSQL: warm prepare() p95 ${ms(services.prepared.p95Ns)} ms (goal ≤ 25 ms)`,
      );
    return {
      tables: [
        {
          title: `prepare() against the same flow wired by hand (${queries.length} SciFact queries, ${corpus.length} documents, 3 context sources, a 40-turn conversation; warm), ms`,
          rows: results.flatMap((result) => [
            {
              stores: result.setup,
              flow: 'hand-wired',
              p50: ms(result.wired.medianNs),
              p95: ms(result.wired.p95Ns),
            },
            {
              stores: result.setup,
              flow: 'assistant.prepare()',
              p50: ms(result.prepared.medianNs),
              p95: ms(result.prepared.p95Ns),
            },
            {
              stores: result.setup,
              flow: 'added by the assistant (median of paired differences)',
              p50: result.overheadMedianMs,
              p95: null,
            },
            {
              stores: result.setup,
              flow: 'assembleContext alone',
              p50: ms(result.assembled.medianNs),
              p95: ms(result.assembled.p95Ns),
            },
          ]),
          notes: [
            'Both flows run the same parts on the same stores; requests alternate which flow goes first.',
            'The assistant adds request validation, a deadline and error boundary per read, and the request events.',
          ],
        },
        {
          title:
            'Time to first token through assistant.handler() with the offline extractive model (50 requests), ms',
          rows: results.map((result) => ({
            stores: result.setup,
            p50: ms(result.firstToken.medianNs),
            p95: ms(result.firstToken.p95Ns),
          })),
        },
      ],
      figures: { results },
      failures,
    };
  },
});
