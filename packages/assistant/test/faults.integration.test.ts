// The assistant's handler on real Redis and PostgreSQL, each behind a TCP fault proxy that the test
// switches between passing, refusing and black-holing (accepting and never answering) while requests
// run: no request may fail, and each one served during a fault must say what it was answered without.

import { createCache } from '@neptune/cache';
import { redisKeyValueStore } from '@neptune/cache/redis';
import { createContextGatherer, defineContextSource } from '@neptune/context';
import { extractiveChatModel } from '@neptune/core/offline';
import {
  describeWithService,
  randomTestId,
  serviceUrl,
  startTcpFaultProxy,
  type TcpFaultMode,
  type TcpFaultProxy,
} from '@neptune/core/testing';
import { createTokenizer } from '@neptune/core/tokenizer';
import { createMemory } from '@neptune/memory';
import { drizzleMemoryStores, migrate } from '@neptune/memory/drizzle';
import { createKnowledgeBase } from '@neptune/rag';
import { memoryVectorStore } from '@neptune/rag/memory';
import { postgresKeywordIndex } from '@neptune/rag/pgvector';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnswerMetadata, createAssistant } from '../src';
import { helpArticles } from './help-articles';

interface Outcome {
  readonly phase: string;
  readonly status: number;
  readonly complete: boolean;
  readonly text: string;
  readonly degraded: readonly string[];
}

/** Reads the UI message stream to its end: the text, the metadata's degraded parts, and whether it closed. */
async function readAnswer(response: Response): Promise<Omit<Outcome, 'phase' | 'status'>> {
  const body = await response.text();
  const chunks = body
    .split('\n\n')
    .filter((line) => line.startsWith('data: {'))
    .map(
      (line) =>
        JSON.parse(line.slice(6)) as { type: string; delta?: string; messageMetadata?: AnswerMetadata },
    );
  const text = chunks.flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta ?? ''] : [])).join('');
  const finish = chunks.find((chunk) => chunk.type === 'finish')?.messageMetadata;
  return {
    complete: body.trimEnd().endsWith('data: [DONE]'),
    text,
    degraded: (finish?.degraded ?? []).map((entry) => entry.part),
  };
}

const redisUrl = serviceUrl('REDIS_URL');

describeWithService(
  'DATABASE_URL',
  'assistant under Redis and PostgreSQL faults (REDIS_URL, DATABASE_URL)',
  (databaseUrl) => {
    if (redisUrl === undefined) return;
    let redisProxy: TcpFaultProxy;
    let postgresProxy: TcpFaultProxy;
    let pool: pg.Pool;
    let admin: pg.Pool;
    let close: () => Promise<void>;
    const schema = randomTestId('neptune_faults_').toLowerCase();
    const workspaceId = randomTestId('faults-');

    beforeAll(async () => {
      const redisTarget = new URL(redisUrl);
      const postgresTarget = new URL(databaseUrl);
      redisProxy = await startTcpFaultProxy({
        host: redisTarget.hostname,
        port: Number(redisTarget.port || 6379),
      });
      postgresProxy = await startTcpFaultProxy({
        host: postgresTarget.hostname,
        port: Number(postgresTarget.port || 5432),
      });
      const proxiedRedis = new URL(redisUrl);
      proxiedRedis.host = `${redisProxy.host}:${redisProxy.port}`;
      const proxiedPostgres = new URL(databaseUrl);
      proxiedPostgres.host = `${postgresProxy.host}:${postgresProxy.port}`;

      admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      await admin.query(`create schema "${schema}"`);
      await admin.query(`create table "${schema}".tickets (workspace_id text, id text, subject text)`);
      await admin.query(
        `insert into "${schema}".tickets values ($1, 't1', 'Refund for the annual plan'), ($1, 't2', 'SSO with Okta')`,
        [workspaceId],
      );
      pool = new pg.Pool({
        connectionString: proxiedPostgres.toString(),
        max: 8,
        options: `-c search_path=${schema}`,
        // A connection that stops answering must not hold a request: give up on it.
        query_timeout: 1_000,
        connectionTimeoutMillis: 1_000,
      });
      pool.on('error', () => {});
      const db = drizzle(pool);
      await migrate(db);
      const keyValue = redisKeyValueStore({ url: proxiedRedis.toString(), prefix: `${schema}:` });
      const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
      const cache = createCache({ store: keyValue });
      const keywordIndex = postgresKeywordIndex({ db });
      await keywordIndex.ensureSchema();
      const knowledge = createKnowledgeBase({
        vectorStore: memoryVectorStore({ dimensions: 1536 }),
        keywordIndex,
        store: keyValue,
        cache,
      });
      await knowledge.ingest({ workspaceId }, helpArticles());
      const tickets = defineContextSource({
        kind: 'tickets',
        scope: 'workspace',
        ttlMs: 1_000,
        timeoutMs: 1_200,
        schema: z.object({ id: z.string(), subject: z.string() }),
        load: async (scope, { limit }) =>
          (
            await pool.query('select id, subject from tickets where workspace_id = $1 limit $2', [
              scope.workspaceId,
              limit,
            ])
          ).rows,
        toItem: (row) => ({ id: row.id, type: 'ticket', title: row.subject }),
      });
      const memory = createMemory({
        consentDefaults: 'opt-out',
        ...drizzleMemoryStores({ db }),
        keyValue,
        tokenizer,
      });
      const assistant = createAssistant({
        model: extractiveChatModel(),
        knowledge,
        gatherer: createContextGatherer({ sources: [tickets], cache }),
        memory,
        tokenizer,
        // Deadlines well above a healthy call even on a loaded machine, so only the faults trip them.
        timeouts: { context: 1_500, knowledge: 1_500, memory: 1_500 },
      });
      const pending: Promise<unknown>[] = [];
      handler = assistant.handler({
        resolveScope: (request) => ({ workspaceId, userId: request.headers.get('x-user') ?? 'ana' }),
        after: (work) => pending.push(work),
      });
      close = async () => {
        await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, 5_000))]);
        await keyValue.close();
        await pool.end().catch(() => {});
      };
    }, 120_000);

    afterAll(async () => {
      await redisProxy?.setMode('pass');
      await postgresProxy?.setMode('pass');
      await close?.();
      await redisProxy?.close();
      await postgresProxy?.close();
      await admin?.query(`drop schema if exists "${schema}" cascade`);
      await admin?.end();
    });

    let handler: (request: Request) => Promise<Response>;
    const QUESTIONS = [
      'How do refunds work?',
      'How do I set up single sign-on?',
      'What are the API rate limits?',
    ];

    /** `count` requests, `concurrency` at a time, each in one of 20 conversations. */
    async function run(phase: string, count: number, concurrency = 10): Promise<Outcome[]> {
      const outcomes: Outcome[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            const index = next++;
            const response = await handler(
              new Request('http://localhost/api/chat', {
                method: 'POST',
                headers: { 'x-user': `u${index % 5}` },
                body: JSON.stringify({
                  message: QUESTIONS[index % QUESTIONS.length],
                  conversationId: `c${index % 20}`,
                }),
              }),
            );
            outcomes.push({ phase, status: response.status, ...(await readAnswer(response)) });
          }
        }),
      );
      return outcomes;
    }

    it('serves every request while each service is refused and black-holed mid-run, and says what it lacked', async () => {
      const phases: Array<{
        name: string;
        redis: TcpFaultMode;
        postgres: TcpFaultMode;
        count: number;
        lacks?: string[];
      }> = [
        { name: 'healthy', redis: 'pass', postgres: 'pass', count: 80 },
        { name: 'redis refused', redis: 'refuse', postgres: 'pass', count: 60, lacks: ['memory'] },
        { name: 'redis back', redis: 'pass', postgres: 'pass', count: 60 },
        { name: 'redis black-holed', redis: 'black-hole', postgres: 'pass', count: 60, lacks: ['memory'] },
        { name: 'redis back again', redis: 'pass', postgres: 'pass', count: 60 },
        {
          name: 'postgres refused',
          redis: 'pass',
          postgres: 'refuse',
          count: 60,
          lacks: ['knowledge', 'memory'],
        },
        { name: 'postgres back', redis: 'pass', postgres: 'pass', count: 60 },
        {
          name: 'postgres black-holed',
          redis: 'pass',
          postgres: 'black-hole',
          count: 60,
          lacks: ['knowledge', 'memory'],
        },
        { name: 'all back', redis: 'pass', postgres: 'pass', count: 20 },
      ];
      const outcomes: Outcome[] = [];
      for (const phase of phases) {
        await redisProxy.setMode(phase.redis);
        await postgresProxy.setMode(phase.postgres);
        const served = await run(phase.name, phase.count);
        outcomes.push(...served);
        if (phase.lacks) {
          const reported = served.filter((outcome) =>
            phase.lacks!.some((part) => outcome.degraded.includes(part)),
          );
          expect(
            reported.length,
            `${phase.name}: requests reporting ${phase.lacks.join(' or ')} as degraded`,
          ).toBe(served.length);
        }
        if (phase.name === 'healthy')
          expect(served.filter((outcome) => outcome.degraded.length > 0).map((o) => o.degraded)).toEqual([]);
      }
      const failed = outcomes.filter(
        (outcome) => outcome.status !== 200 || !outcome.complete || outcome.text === '',
      );
      const byPhase = Object.fromEntries(
        phases.map((phase) => [
          phase.name,
          outcomes.filter((o) => o.phase === phase.name && o.degraded.length > 0).length,
        ]),
      );
      console.info(
        `fault run: ${outcomes.length} requests, ${failed.length} failed; degraded per phase ${JSON.stringify(byPhase)}`,
      );
      expect(outcomes.length).toBeGreaterThanOrEqual(500);
      expect(failed).toEqual([]);
    }, 600_000);
  },
);
